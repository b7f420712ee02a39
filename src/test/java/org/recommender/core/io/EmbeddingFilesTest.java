package org.recommender.core.io;

import org.recommender.core.vector.EmbeddingValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesOneObjectPerLineAndReadsBackExactly() throws IOException {
        Path file = dir.resolve("items.jsonl");
        float[] a = { 0.1f, -2.5e-7f, 3f };
        float[] b = { Float.MIN_VALUE, -EmbeddingValidator.MAX_MAGNITUDE, -0f };
        try (EmbeddingWriter w = new EmbeddingWriter(file, 3)) {
            w.write("i1", a);
            w.write(new EmbeddingEntry("ünï \"quoted\"", b));
            assertEquals(2, w.count());
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(List.of("{\"id\":\"i1\",\"vector\":[0.1,-2.5E-7,3.0]}", lines.get(1)), lines);
        assertTrue(lines.get(1).startsWith("{\"id\":\"ünï \\\"quoted\\\"\""), lines.get(1));

        List<EmbeddingEntry> read = EmbeddingReader.readAll(file, 3);
        assertEquals(2, read.size());
        assertEquals("i1", read.get(0).id());
        assertArrayEquals(a, read.get(0).vector());
        assertEquals("ünï \"quoted\"", read.get(1).id());
        assertArrayEquals(b, read.get(1).vector());
    }

    @Test
    void readerInfersDimsSkipsBlankLinesAndIgnoresUnknownFields() throws IOException {
        Path file = write("{\"id\":\"u1\",\"vector\":[1,2],\"extra\":{\"a\":[1]}}\n\n  \n{\"vector\":[3,4.5],\"id\":\"u2\"}\n");
        try (EmbeddingReader r = new EmbeddingReader(file)) {
            assertEquals(EmbeddingReader.INFER_DIMS, r.dims());
            assertEquals("u1", r.next().id());
            assertEquals(2, r.dims());
            EmbeddingEntry second = r.next();
            assertArrayEquals(new float[] { 3f, 4.5f }, second.vector());
            assertEquals(4, r.lineNumber());
            assertNull(r.next());
        }
    }

    @Test
    void badLinesAreReportedWithFileAndLineNumber() throws IOException {
        String good = "{\"id\":\"u1\",\"vector\":[1,2]}\n";
        assertBadLine(good + "{\"id\":\"u2\",\"vector\":[1,2,3]}\n", 2, "[vector of id u2] has 3 dimensions but 2 were expected");
        assertBadLine(good + "{\"id\":\"u2\",\"vector\":[1,\"x\"]}\n", 2, "[vector] element [1] must be a number but was a string");
        assertBadLine(good + good, 2, "duplicate id [u1], first seen on line 1");
        assertBadLine(good + "\n{\"id\":\"u2\",\"vector\":[1,2]\n", 3, "the JSON object is not closed");
        assertBadLine(good + "{\"id\":7,\"vector\":[1,2]}\n", 2, "[id] must be a string but was a number");
        assertBadLine(good + "{\"id\":\"u3\"}\n", 2, "missing [vector] for id [u3]");
        assertBadLine(good + "{\"vector\":[1,2]}\n", 2, "missing or empty [id]");
        assertBadLine(good + "[1,2]\n", 2, "expected a JSON object");
        assertBadLine(good + "{\"id\":\"u2\",\"vector\":[1,2]} {}\n", 2, "unexpected content after the JSON object");
        assertBadLine(good + "{\"id\":\"u2\",\"vector\":[1,1e999]}\n", 2, "[vector of id u2] element [1] is Infinity");
        assertBadLine("{\"id\":\"u1\",vector:[1]}\n", 1, "not valid JSON");
        assertBadLine("{\"id\":\"u1\",\"vector\":[]}\n", 1, "[vector] dims must be between 1 and");
    }

    @Test
    void readerEnforcesTheExpectedDimensionFromTheFirstLine() throws IOException {
        Path file = write("{\"id\":\"u1\",\"vector\":[1,2]}\n");
        EmbeddingFileException e = assertThrows(EmbeddingFileException.class, () -> EmbeddingReader.readAll(file, 4));
        assertEquals(file + ":1: [vector of id u1] has 2 dimensions but 4 were expected", e.getMessage());
        assertEquals(1, e.line());
        assertEquals(file, e.file());
    }

    @Test
    void writerRefusesInvalidVectorsAndDuplicateIds() throws IOException {
        Path file = dir.resolve("users.jsonl");
        try (EmbeddingWriter w = new EmbeddingWriter(file, 2)) {
            w.write("u1", new float[] { 1, 2 });
            EmbeddingFileException nan = assertThrows(EmbeddingFileException.class, () -> w.write("u2", new float[] { 1, Float.NaN }));
            assertEquals(file + ":2: [vector of id u2] element [1] is NaN; embeddings must contain only finite numbers", nan.getMessage());
            EmbeddingFileException dup = assertThrows(EmbeddingFileException.class, () -> w.write("u1", new float[] { 1, 2 }));
            assertEquals(file + ":2: duplicate id [u1]", dup.getMessage());
            assertThrows(EmbeddingFileException.class, () -> w.write("", new float[] { 1, 2 }));
        }
        assertEquals(1, EmbeddingReader.readAll(file, 2).size());
    }

    private void assertBadLine(String content, long line, String expected) throws IOException {
        Path file = write(content);
        EmbeddingFileException e = assertThrows(EmbeddingFileException.class, () -> EmbeddingReader.readAll(file, EmbeddingReader.INFER_DIMS));
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(dir, "emb", ".jsonl");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
