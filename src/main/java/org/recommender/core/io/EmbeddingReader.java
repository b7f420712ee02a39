package org.recommender.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonToken;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.core.vector.InvalidEmbeddingException;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an embeddings file written by {@link EmbeddingWriter} (or by any tool following
 * {@code docs/embedding-files.md}) one line at a time, so files larger than the heap can be streamed. Each line
 * must be one JSON object with a string {@code id} and a numeric {@code vector}; other fields are ignored so
 * that the format can grow. Blank lines are skipped. Every vector is checked with
 * {@link EmbeddingValidator#check}; any problem is reported as an {@link EmbeddingFileException} naming the file
 * and line.
 */
public final class EmbeddingReader implements Closeable {
    /** Passed as the expected dimension to take it from the first line instead. */
    public static final int INFER_DIMS = -1;

    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final BufferedReader in;
    // id -> line where it was first seen: a duplicate would overwrite a document once indexed.
    private final Map<String, Long> seen = new HashMap<>();
    private int dims;
    private long line;
    private float[] buffer = new float[64];

    /**
     * Opens {@code file}, taking the dimension from its first line.
     */
    public EmbeddingReader(Path file) throws IOException {
        this(file, INFER_DIMS);
    }

    /**
     * Opens {@code file}.
     *
     * @param file the JSON Lines file
     * @param expectedDims the dimension every vector must have (e.g. from the manifest), or {@link #INFER_DIMS}
     */
    public EmbeddingReader(Path file, int expectedDims) throws IOException {
        this.file = file;
        this.dims = expectedDims == INFER_DIMS ? INFER_DIMS : EmbeddingValidator.checkDimensions("dims", expectedDims);
        this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    /**
     * Reads every line of {@code file}.
     *
     * @param expectedDims the dimension every vector must have, or {@link #INFER_DIMS}
     */
    public static List<EmbeddingEntry> readAll(Path file, int expectedDims) throws IOException {
        List<EmbeddingEntry> entries = new ArrayList<>();
        try (EmbeddingReader reader = new EmbeddingReader(file, expectedDims)) {
            for (EmbeddingEntry e = reader.next(); e != null; e = reader.next()) {
                entries.add(e);
            }
        }
        return entries;
    }

    /**
     * @return the next entry, or {@code null} at the end of the file
     * @throws EmbeddingFileException naming the file and line of a malformed, invalid or duplicate entry
     */
    public EmbeddingEntry next() throws IOException {
        String text;
        do {
            text = in.readLine();
            if (text == null) {
                return null;
            }
            line++;
        } while (text.isBlank());
        EmbeddingEntry entry = parse(text);
        if (dims == INFER_DIMS) {
            dims = entry.vector().length;
            check(() -> EmbeddingValidator.checkDimensions("vector", dims));
        }
        check(() -> EmbeddingValidator.check("vector of id " + entry.id(), entry.vector(), dims));
        Long first = seen.putIfAbsent(entry.id(), line);
        if (first != null) {
            throw error("duplicate id [" + entry.id() + "], first seen on line " + first, null);
        }
        return entry;
    }

    /** @return the dimension of the vectors, or {@link #INFER_DIMS} before the first line was read */
    public int dims() {
        return dims;
    }

    /** @return the 1-based number of the line last read (0 before the first) */
    public long lineNumber() {
        return line;
    }

    /** @return the file being read */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private EmbeddingEntry parse(String text) throws EmbeddingFileException {
        String id = null;
        float[] vector = null;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error("expected a JSON object like {\"id\":\"u1\",\"vector\":[0.1, 0.2]}", null);
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t == null) {
                    throw error("the JSON object is not closed; each object must be on one line", null);
                }
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("id".equals(field)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw error("[id] must be a string but was " + describe(value), null);
                    }
                    id = p.getText();
                } else if ("vector".equals(field)) {
                    vector = readVector(p, value);
                } else {
                    p.skipChildren(); // unknown fields are allowed so the format can grow
                }
            }
            if (p.nextToken() != null) {
                throw error("unexpected content after the JSON object; each line must hold exactly one object", null);
            }
        } catch (EmbeddingFileException e) {
            throw e;
        } catch (JsonEOFException e) {
            throw error("the JSON object is not closed; each object must be on one line", e);
        } catch (JsonProcessingException e) {
            throw error("not valid JSON at column " + e.getLocation().getColumnNr() + ": " + firstSentence(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw error(e.getMessage(), e);
        }
        if (id == null || id.isEmpty()) {
            throw error("missing or empty [id]", null);
        }
        if (vector == null) {
            throw error("missing [vector] for id [" + id + "]", null);
        }
        return new EmbeddingEntry(id, vector);
    }

    private float[] readVector(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw error("[vector] must be an array of numbers but was " + describe(value), null);
        }
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                throw error("[vector] element [" + n + "] must be a number but was " + describe(t), null);
            }
            if (n == buffer.length) {
                buffer = Arrays.copyOf(buffer, n * 2);
            }
            buffer[n++] = p.getFloatValue(); // out-of-range values become infinite and fail validation
        }
        return Arrays.copyOf(buffer, n);
    }

    /** Jackson may add source locations, which repeat what the file:line prefix says better. */
    private static String firstSentence(String message) {
        String m = message.lines().findFirst().orElse("");
        int location = m.indexOf(" (start marker at");
        return location > 0 ? m.substring(0, location) : m;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> String.valueOf(token);
        };
    }

    private void check(Runnable validation) throws EmbeddingFileException {
        try {
            validation.run();
        } catch (InvalidEmbeddingException e) {
            throw error(e.getMessage(), e);
        }
    }

    private EmbeddingFileException error(String problem, Throwable cause) {
        return new EmbeddingFileException(file, line, problem, cause);
    }
}
