package org.recommender.tools.imports;

import java.nio.file.Path;

/**
 * Where a vector came from, for error messages: a 1-based line of a text file ({@code file:line}) or a 0-based row
 * of a NumPy matrix ({@code file: row N}, counted as numpy indexes it).
 *
 * @param file the file read
 * @param number the line (1-based) or row (0-based)
 * @param row whether {@code number} is a matrix row rather than a text line
 */
public record Location(Path file, long number, boolean row) {
    /** @return the 1-based line {@code line} of a text file */
    public static Location line(Path file, long line) {
        return new Location(file, line, false);
    }

    /** @return the 0-based row {@code row} of a matrix file */
    public static Location row(Path file, long row) {
        return new Location(file, row, true);
    }

    @Override
    public String toString() {
        return row ? file + ": row " + number : file + ":" + number;
    }
}
