package org.recommender.tools.imports;

import org.recommender.core.io.EmbeddingWriter;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link FactorSink} that validates each vector and appends it to an embeddings file
 * ({@code docs/embedding-files.md}). The file is opened at the first vector, once its dimension is known.
 */
public final class FactorFileWriter implements FactorSink, Closeable {
    private final Path file;
    private final FactorValidator validator = new FactorValidator();
    private EmbeddingWriter writer;

    /** @param file the {@code users.jsonl} or {@code items.jsonl} to write */
    public FactorFileWriter(Path file) {
        this.file = file;
    }

    @Override
    public void accept(String id, float[] vector, Location where) throws IOException {
        validator.check(id, vector, where);
        if (writer == null) {
            writer = new EmbeddingWriter(file, vector.length);
        }
        writer.write(id, vector);
    }

    /** @return the dimension of the vectors written, or -1 when none were */
    public int dims() {
        return validator.dims();
    }

    /** @return how many vectors were written */
    public int count() {
        return validator.count();
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
