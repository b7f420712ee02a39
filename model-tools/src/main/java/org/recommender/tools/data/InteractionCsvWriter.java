package org.recommender.tools.data;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes interactions as CSV with the header {@code user_id,item_id,rating,timestamp}, the layout
 * {@link CsvOptions#DEFAULTS} reads back. Ids that contain a comma or quote are quoted; ids
 * with line breaks are refused, since the loaders read one record per line.
 */
public final class InteractionCsvWriter implements Closeable {
    /** The header line. */
    public static final String HEADER = "user_id,item_id,rating,timestamp";

    private final BufferedWriter out;

    /** Creates (or truncates) {@code file}, creating missing parent directories, and writes the header. */
    public InteractionCsvWriter(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(HEADER);
        out.newLine();
    }

    /** Appends one row. */
    public void write(String user, String item, float rating, long timestamp) throws IOException {
        out.write(quote(user));
        out.write(',');
        out.write(quote(item));
        out.write(',');
        // integral ratings print as "4", not "4.0", as most rating files do
        out.write(rating == Math.rint(rating) ? Long.toString((long) rating) : Float.toString(rating));
        out.write(',');
        out.write(Long.toString(timestamp));
        out.newLine();
    }

    private static String quote(String field) {
        if (field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) {
            // the loaders keep one record per line so that error messages can name the line
            throw new IllegalArgumentException("id [" + field + "] contains a line break");
        }
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
