package org.recommender.tools.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A line of an interactions file that cannot be used. The message starts with {@code file:line:} so that users can
 * jump straight to it.
 */
public class InteractionFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file being read
     * @param line the 1-based line number
     * @param problem what is wrong with the line
     */
    public InteractionFileException(Path file, long line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
