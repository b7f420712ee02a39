package org.recommender.tools.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the user, item, rating and timestamp fields sit in a line, and how many fields a line must have.
 *
 * @param user index of the user id field
 * @param item index of the item id field
 * @param rating index of the rating field, or {@link #ABSENT}
 * @param timestamp index of the timestamp field, or {@link #ABSENT}
 * @param fieldCount the exact number of fields every line must have
 */
public record ColumnLayout(int user, int item, int rating, int timestamp, int fieldCount) {
    /** Marks a column the file does not have. */
    public static final int ABSENT = -1;

    /** The MovieLens layout: user, item, rating, timestamp. */
    public static final ColumnLayout MOVIELENS = new ColumnLayout(0, 1, 2, 3, 4);

    /**
     * Finds the named columns in a header row. User and item columns are required; rating and timestamp are
     * optional unless {@link CsvOptions#ratingRequired()} / {@link CsvOptions#timestampRequired()} say the user named
     * them. This is where a misspelt column option is refused: on line 1, before any row is read.
     *
     * @throws InteractionFileException (line 1) naming the option of a required column the header lacks, its value
     *     and the header's columns
     */
    public static ColumnLayout fromHeader(List<String> header, CsvOptions names, Path file) throws InteractionFileException {
        int user = find(header, names.userColumn(), true, "--user-column", file);
        int item = find(header, names.itemColumn(), true, "--item-column", file);
        int rating = find(header, names.ratingColumn(), names.ratingRequired(), "--rating-column", file);
        int timestamp = find(header, names.timestampColumn(), names.timestampRequired(), "--timestamp-column", file);
        return new ColumnLayout(user, item, rating, timestamp, header.size());
    }

    /**
     * Finds the columns of a format whose header names are fixed (Last.fm {@code userID\tartistID\tweight}, MovieLens
     * 20M {@code userId,movieId,rating,timestamp}). Every non-null name in {@code names} is required, so a file
     * that merely has the right file name but other columns fails here rather than being misread.
     *
     * @param formatName the format's {@code --format} name, for the message
     * @throws InteractionFileException (line 1) naming the missing column and suggesting {@code --format csv}
     */
    public static ColumnLayout fromFixedHeader(List<String> header, CsvOptions names, String formatName, Path file)
        throws InteractionFileException {
        int[] found = new int[4];
        String[] wanted = { names.userColumn(), names.itemColumn(), names.ratingColumn(), names.timestampColumn() };
        for (int i = 0; i < wanted.length; i++) {
            found[i] = wanted[i] == null ? ABSENT : header.indexOf(wanted[i]);
            if (wanted[i] != null && found[i] < 0) {
                throw new InteractionFileException(file, 1, "a " + formatName + " file has a column [" + wanted[i] + "] but this header is "
                    + header + " (for other columns use --format csv with --user-column, --item-column …)");
            }
        }
        return new ColumnLayout(found[0], found[1], found[2], found[3], header.size());
    }

    /** @return the column's index, or {@link #ABSENT} when the header lacks a column that is not {@code required} */
    private static int find(List<String> header, String name, boolean required, String option, Path file) throws InteractionFileException {
        int index = header.indexOf(name);
        if (index < 0 && required) {
            throw new InteractionFileException(file, 1, option + " [" + name + "]: no such column; the header has " + header);
        }
        return index;
    }
}
