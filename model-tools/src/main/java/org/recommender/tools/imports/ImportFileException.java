package org.recommender.tools.imports;

import java.io.IOException;

/**
 * A row of an imported factor file that cannot be used. The message starts with its {@link Location}
 * ({@code file:line:} or {@code file: row N:}) so that users can jump straight to it.
 */
public class ImportFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param where the file and line or row
     * @param problem what is wrong with it
     */
    public ImportFileException(Location where, String problem) {
        super(where + ": " + problem);
    }

    /**
     * @param where the file and line or row
     * @param problem what is wrong with it
     * @param cause the parser's own error
     */
    public ImportFileException(Location where, String problem, Throwable cause) {
        super(where + ": " + problem, cause);
    }
}
