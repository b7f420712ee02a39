package org.recommender.tools.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.core.io.TrainingManifest;
import org.recommender.core.model.ModelBundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class TrainingOutputTest {
    @TempDir
    Path dir;

    private static TrainingManifest manifest(String algorithm, int dims) {
        return new TrainingManifest(TrainingManifest.FORMAT_VERSION, algorithm, dims, "dot_product", 1, Map.of(), new TrainingManifest.Counts(1, 1, 0), 0,
            TrainingManifest.FileNames.defaults(), Map.of());
    }

    private static void write(TrainingOutput output, String algorithm, String users) throws IOException {
        try (TrainingOutput.Staging staging = output.stage()) {
            Files.writeString(staging.usersFile(), users);
            Files.writeString(staging.itemsFile(), "items of " + algorithm);
            staging.writeBundle(ModelBundle.dot(2));
            staging.publish(manifest(algorithm, 2));
        }
    }

    /** Everything in {@code dir}'s parent except {@code dir} itself: staging directories left behind would show here. */
    private List<String> besideOutput(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out.getParent())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.equals(out.getFileName().toString()) == false).toList();
        }
    }

    @Test
    void publishWritesEveryFileAndLeavesNoStagingBehind() throws IOException {
        Path out = dir.resolve("parent").resolve("model");
        TrainingOutput output = new TrainingOutput(out);
        write(output, "first", "users of first");
        assertEquals("first", output.manifest().algorithm());
        assertEquals("users of first", Files.readString(output.usersFile(output.manifest())));
        assertEquals("items of first", Files.readString(output.itemsFile(output.manifest())));
        assertArrayEquals(ModelBundle.dot(2).toBytes(), TrainingOutput.readBundle(output.bundleFile()).bytes());
        assertEquals(List.of(), besideOutput(out));

        write(output, "second", "users of second");
        assertEquals("second", output.manifest().algorithm());
        assertEquals("users of second", Files.readString(out.resolve(TrainingManifest.USERS_FILE)), "replaced");
    }

    @Test
    void anUnpublishedOutputLeavesTheEarlierOneAsItWas() throws IOException {
        Path out = dir.resolve("model");
        TrainingOutput output = new TrainingOutput(out);
        write(output, "first", "users of first");
        byte[] manifest = Files.readAllBytes(out.resolve(TrainingManifest.FILE_NAME));
        try (TrainingOutput.Staging staging = output.stage()) {
            Files.writeString(staging.usersFile(), "half of second");
            // a failure here (a bad row, a full disk) closes the staging area without publishing
        }
        assertArrayEquals(manifest, Files.readAllBytes(out.resolve(TrainingManifest.FILE_NAME)));
        assertEquals("users of first", Files.readString(out.resolve(TrainingManifest.USERS_FILE)));
        assertEquals(List.of(), besideOutput(out), "the staging directory is removed");
    }

    @Test
    void aKilledRunsStagingIsRemovedOnceStaleAndALiveOnesIsNot() throws IOException {
        Path out = dir.resolve("model");
        Path killed = Files.createDirectories(dir.resolve(".model.partial-123"));
        Files.writeString(killed.resolve(TrainingManifest.USERS_FILE), "half");
        Files.setLastModifiedTime(killed, FileTime.from(Instant.now().minus(TrainingOutput.STALE_STAGING).minusSeconds(60)));
        Path live = Files.createDirectories(dir.resolve(".model.partial-456"));
        Path otherOutputs = Files.createDirectories(dir.resolve(".other.partial-789"));
        Files.setLastModifiedTime(otherOutputs, FileTime.from(Instant.EPOCH));
        write(new TrainingOutput(out), "first", "users of first");
        assertFalse(Files.exists(killed), "a killed run's staging, older than STALE_STAGING, is removed");
        assertTrue(Files.exists(live), "a recent one may belong to a run still writing");
        assertTrue(Files.exists(otherOutputs), "another output's staging is not this output's to remove");
    }

    @Test
    void refusesAFileAsDirectoryAndManifestsNamingOtherFiles() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingOutput(file).stage());
        assertTrue(e.getMessage().contains("is a file, not a directory"), e.getMessage());

        TrainingOutput output = new TrainingOutput(dir.resolve("model"));
        try (TrainingOutput.Staging staging = output.stage()) {
            TrainingManifest elsewhere = new TrainingManifest(TrainingManifest.FORMAT_VERSION, "x", 2, "dot_product", 1, Map.of(),
                new TrainingManifest.Counts(1, 1, 0), 0, new TrainingManifest.FileNames("u.jsonl", "i.jsonl"), Map.of());
            assertThrows(IllegalArgumentException.class, () -> staging.publish(elsewhere));
        }
        assertFalse(Files.exists(dir.resolve("model").resolve(TrainingManifest.FILE_NAME)));
    }

    /**
     * The check commands make before they train is the rule {@link TrainingOutput#stage} applies: it creates nothing,
     * lets through an earlier output (replaced when published) and a directory to be created with its parents, and
     * refuses what staging or publishing would fail on, including a writable output whose parent cannot take the
     * staging directory, which a check of the output alone lets through.
     */
    @Test
    void requireUsableIsTheRuleStagingApplies() throws IOException {
        Path earlier = dir.resolve("earlier");
        write(new TrainingOutput(earlier), "first", "users of first");
        TrainingOutput.requireUsable(earlier);
        Path fresh = dir.resolve("a").resolve("b").resolve("model");
        TrainingOutput.requireUsable(fresh);
        assertFalse(Files.exists(dir.resolve("a")), "the check creates nothing");

        Path file = Files.writeString(dir.resolve("taken"), "x");
        assertEquals("[" + file + "] is a file, not a directory", assertThrows(IllegalArgumentException.class, () -> TrainingOutput.requireUsable(file))
            .getMessage());
        Path below = file.resolve("model");
        assertEquals("[" + below + "] cannot be created: " + file + " is a file",
            assertThrows(IllegalArgumentException.class, () -> TrainingOutput.requireUsable(below)).getMessage());

        Path parent = Files.createDirectory(dir.resolve("parent"));
        Path writable = Files.createDirectory(parent.resolve("model"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(parent), "every directory is writable to this user (root)");
            OutputDirectory.requireUsable(writable);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingOutput.requireUsable(writable));
            assertEquals("[" + writable + "] is written by way of a staging directory beside it, but " + parent + " cannot be written", e.getMessage());
            IllegalArgumentException staged = assertThrows(IllegalArgumentException.class, () -> new TrainingOutput(writable).stage());
            assertEquals(e.getMessage(), staged.getMessage(), "stage() refuses by the same rule");
            Path inside = parent.resolve("other");
            assertEquals("[" + inside + "] cannot be created: " + parent + " cannot be written",
                assertThrows(IllegalArgumentException.class, () -> TrainingOutput.requireUsable(inside)).getMessage());
        } finally {
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void anOutputWithoutAnEncodersFilesRemovesTheEarlierRunsAndTheManifestMustNameTheHistory() throws IOException {
        Path out = dir.resolve("model");
        TrainingOutput output = new TrainingOutput(out);
        TrainingManifest withHistory = new TrainingManifest(TrainingManifest.FORMAT_VERSION, "multdae", 3, 2, "dot_product", 1, Map.of(),
            new TrainingManifest.Counts(1, 1, 0), 0, TrainingManifest.FileNames.defaultsWithHistory(), Map.of());
        ModelBundle encoder = ModelBundle.builder("multdae").dims(2).maxLength(1).weights("encoder.bias", new float[2]).build();
        try (TrainingOutput.Staging staging = output.stage()) {
            Files.writeString(staging.usersFile(), "users");
            Files.writeString(staging.itemsFile(), "items");
            staging.writeBundle(ModelBundle.dot(3));
            assertThrows(IllegalArgumentException.class, () -> staging.publish(withHistory), "no history vectors were staged");
            Files.writeString(staging.historyFile(), "history");
            assertThrows(IllegalArgumentException.class, () -> staging.publish(manifest("multdae", 3)), "the manifest must name them");
            staging.writeEncoder(encoder);
            staging.writeEncodedBundle(ModelBundle.builder("dot").userDims(2).itemDims(3).itemBias(org.recommender.core.model.BiasSource.LAST_DIMENSION)
                .build());
            staging.publish(withHistory);
        }
        TrainingManifest read = output.manifest();
        assertEquals(2, read.historyDims());
        assertEquals("history", Files.readString(output.historyFile(read)));
        assertArrayEquals(encoder.toBytes(), Files.readAllBytes(output.encoderFile()));
        assertEquals(out.resolve(TrainingOutput.ENCODED_BUNDLE), output.encodedBundleFile());

        write(output, "bpr", "users of bpr");
        for (String stale : List.of(TrainingManifest.HISTORY_FILE, TrainingOutput.ENCODER_BUNDLE, TrainingOutput.ENCODED_BUNDLE)) {
            assertFalse(Files.exists(out.resolve(stale)), stale + " belongs to the earlier run's vectors");
        }
        assertEquals(null, output.historyFile(output.manifest()));
        assertEquals(output.bundleFile(), output.encodedBundleFile(), "without encoded.bundle, model.bundle scores encoded users");
    }

    @Test
    void aBrokenBundleIsNamedWhenRead() throws IOException {
        Path broken = Files.write(dir.resolve("broken.bundle"), new byte[] { 1, 2, 3 });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingOutput.readBundle(broken));
        assertTrue(e.getMessage().startsWith(broken + " is not a valid model bundle"), e.getMessage());
    }
}
