package org.recommender.core.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.core.vector.InvalidEmbeddingException;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes an embeddings file: JSON Lines, one {@code {"id":"…","vector":[…]}} object per line, UTF-8 (see
 * {@code docs/embedding-files.md}). Every vector is validated before it is written, so a file this class
 * produced is always readable by {@link EmbeddingReader}.
 */
public final class EmbeddingWriter implements Closeable {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final int dims;
    private final JsonGenerator generator;
    // Duplicate ids would silently overwrite each other once indexed (the id becomes the document _id).
    private final Set<String> ids = new HashSet<>();
    private long lines;

    /**
     * Creates (or truncates) {@code file}.
     *
     * @param file where to write
     * @param dims the dimension every vector must have
     */
    public EmbeddingWriter(Path file, int dims) throws IOException {
        this.file = file;
        this.dims = EmbeddingValidator.checkDimensions("dims", dims);
        this.generator = JSON.createGenerator(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), JsonEncoding.UTF8);
        // The minimal printer separates root values with a newline, which is exactly JSON Lines.
        this.generator.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    }

    /**
     * Appends one line.
     *
     * @throws EmbeddingFileException naming the line when the id is a duplicate or the vector is invalid
     */
    public void write(String id, float[] vector) throws IOException {
        long line = lines + 1;
        if (id == null || id.isEmpty()) {
            throw new EmbeddingFileException(file, line, "id must not be empty", null);
        }
        try {
            EmbeddingValidator.check("vector of id " + id, vector, dims);
        } catch (InvalidEmbeddingException e) {
            throw new EmbeddingFileException(file, line, e.getMessage(), e);
        }
        if (ids.add(id) == false) {
            throw new EmbeddingFileException(file, line, "duplicate id [" + id + "]", null);
        }
        generator.writeStartObject();
        generator.writeStringField("id", id);
        generator.writeArrayFieldStart("vector");
        for (float v : vector) {
            generator.writeNumber(v); // Float.toString: the shortest text that reads back to the same float
        }
        generator.writeEndArray();
        generator.writeEndObject();
        lines = line;
    }

    /** Appends one line; see {@link #write(String, float[])}. */
    public void write(EmbeddingEntry entry) throws IOException {
        write(entry.id(), entry.vector());
    }

    /** @return how many lines have been written */
    public long count() {
        return lines;
    }

    @Override
    public void close() throws IOException {
        if (lines > 0) {
            generator.writeRaw('\n'); // end the last line too, as line-oriented tools expect
        }
        generator.close();
    }
}
