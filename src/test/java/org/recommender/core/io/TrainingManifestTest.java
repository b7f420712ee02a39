package org.recommender.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingManifestTest {
    @TempDir
    Path dir;

    private TrainingManifest manifest() {
        return new TrainingManifest(
            TrainingManifest.FORMAT_VERSION,
            "bpr",
            32,
            "dot_product",
            42L,
            Map.of("learning_rate", 0.05, "epochs", 20),
            new TrainingManifest.Counts(10, 20, 300),
            1.5,
            TrainingManifest.FileNames.defaults(),
            Map.of("bpr", Map.of("hr@10", 0.25))
        );
    }

    @Test
    void roundTripsThroughManifestJson() throws IOException {
        TrainingManifest written = manifest();
        written.write(dir);
        String json = Files.readString(dir.resolve(TrainingManifest.FILE_NAME));
        assertTrue(json.contains("\"format_version\" : 1"), json);
        assertTrue(json.contains("\"hyper_parameters\""), json);
        assertTrue(json.contains("\"users\" : \"users.jsonl\""), json);
        TrainingManifest read = TrainingManifest.read(dir);
        assertEquals(written, read);
        assertEquals(dir.resolve("users.jsonl"), read.usersFile(dir));
        assertEquals(dir.resolve("items.jsonl"), read.itemsFile(dir));
        assertEquals(0.25, read.evaluation().get("bpr").get("hr@10"));
    }

    @Test
    void ignoresUnknownFieldsAndDefaultsOptionalOnes() throws IOException {
        Files.writeString(dir.resolve(TrainingManifest.FILE_NAME), """
            {"format_version":1,"algorithm":"als","dims":8,"similarity":"cosine","seed":1,
             "counts":{"users":1,"items":2,"interactions":3},"training_seconds":0.1,
             "files":{"users":"u.jsonl","items":"i.jsonl"},"written_by":"a newer tool"}
            """);
        TrainingManifest m = TrainingManifest.read(dir);
        assertEquals(Map.of(), m.hyperParameters());
        assertEquals(Map.of(), m.evaluation());
        assertEquals(dir.resolve("u.jsonl"), m.usersFile(dir));
    }

    @Test
    void historyVectorsRoundTripAndAreAbsentWithoutThem() throws IOException {
        TrainingManifest written = new TrainingManifest(TrainingManifest.FORMAT_VERSION, "multdae", 9, 8, "dot_product", 1, Map.of(),
            new TrainingManifest.Counts(1, 2, 3), 0, TrainingManifest.FileNames.defaultsWithHistory(), Map.of());
        written.write(dir);
        String json = Files.readString(dir.resolve(TrainingManifest.FILE_NAME));
        assertTrue(json.contains("\"history_dims\" : 8"), json);
        assertTrue(json.contains("\"history\" : \"history.jsonl\""), json);
        TrainingManifest read = TrainingManifest.read(dir);
        assertEquals(written, read);
        assertEquals(dir.resolve("history.jsonl"), read.historyFile(dir));

        manifest().write(dir);
        json = Files.readString(dir.resolve(TrainingManifest.FILE_NAME));
        assertTrue(json.contains("history") == false, "no history, no field: " + json);
        assertEquals(null, TrainingManifest.read(dir).historyDims());
        assertEquals(null, TrainingManifest.read(dir).historyFile(dir));
    }

    @Test
    void refusesInvalidManifestsNamingTheField() throws IOException {
        assertRefused("{\"format_version\":2}", "[format_version] is 2 but this version reads only 1");
        assertRefused(
            "{\"format_version\":1,\"algorithm\":\"bpr\",\"dims\":0,\"similarity\":\"dot_product\"}",
            "[dims] dims must be between 1 and 4096 but was 0"
        );
        assertRefused(
            "{\"format_version\":1,\"algorithm\":\"bpr\",\"dims\":4,\"similarity\":\"manhattan\"}",
            "unknown similarity [manhattan]"
        );
        assertRefused(
            "{\"format_version\":1,\"algorithm\":\"bpr\",\"dims\":4,\"similarity\":\"dot_product\",\"counts\":{}}",
            "[files] is required"
        );
        assertRefused("{not json", "manifest.json: ");
        String counts = ",\"counts\":{\"users\":1,\"items\":1,\"interactions\":1}";
        assertRefused("{\"format_version\":1,\"algorithm\":\"multdae\",\"dims\":4,\"history_dims\":3,\"similarity\":\"dot_product\"" + counts
            + ",\"files\":{\"users\":\"u\",\"items\":\"i\"}}", "[history_dims] and [files.history] go together, but only [history_dims] is given");
        assertRefused("{\"format_version\":1,\"algorithm\":\"multdae\",\"dims\":4,\"similarity\":\"dot_product\"" + counts
            + ",\"files\":{\"users\":\"u\",\"items\":\"i\",\"history\":\"h\"}}", "only [files.history] is given");
        assertRefused("{\"format_version\":1,\"algorithm\":\"multdae\",\"dims\":4,\"history_dims\":0,\"similarity\":\"dot_product\"" + counts
            + ",\"files\":{\"users\":\"u\",\"items\":\"i\",\"history\":\"h\"}}", "[history_dims]");
    }

    @Test
    void missingManifestSaysWhatIsExpected() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TrainingManifest.read(dir));
        assertTrue(e.getMessage().contains("training output directory"), e.getMessage());
    }

    private void assertRefused(String json, String expected) throws IOException {
        Files.writeString(dir.resolve(TrainingManifest.FILE_NAME), json);
        IOException e = assertThrows(IOException.class, () -> TrainingManifest.read(dir));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve(TrainingManifest.FILE_NAME).toString()), e.getMessage());
    }
}
