package org.recommender.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A line of an embeddings file that cannot be read or written. The message always starts with
 * {@code file:line:} so that a user can jump to the line, the way compilers report errors.
 */
public class EmbeddingFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;

    /**
     * @param file the file being read or written
     * @param line the 1-based line number
     * @param problem what is wrong with the line
     * @param cause the underlying parse or validation error, or {@code null}
     */
    public EmbeddingFileException(Path file, long line, String problem, Throwable cause) {
        super(file + ":" + line + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    /** @return the file being read or written */
    public Path file() {
        return file;
    }

    /** @return the 1-based line number */
    public long line() {
        return line;
    }
}
