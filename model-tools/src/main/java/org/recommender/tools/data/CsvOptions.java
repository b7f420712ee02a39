package org.recommender.tools.data;

/**
 * How to read a generic CSV file (and, names only, a JSON lines file): the delimiter and the header names of the
 * columns to use.
 *
 * @param delimiter the field separator
 * @param userColumn header name of the user id column (required in the file)
 * @param itemColumn header name of the item id column (required in the file)
 * @param ratingColumn header name of the rating column; when the file lacks it (and {@code ratingRequired} is false)
 *     every rating is 1
 * @param timestampColumn header name of the timestamp column (integer); when the file lacks it (and
 *     {@code timestampRequired} is false) the line number stands in, so "latest" means "last in the file"
 * @param ratingRequired whether the file must have the rating column: the user named it ({@code --rating-column}), so
 *     a file without it is a misspelling, refused at the header, not a file without ratings
 * @param timestampRequired whether the file must have the timestamp column ({@code --timestamp-column}), likewise
 */
public record CsvOptions(
    char delimiter,
    String userColumn,
    String itemColumn,
    String ratingColumn,
    String timestampColumn,
    boolean ratingRequired,
    boolean timestampRequired
) {
    /** Comma-separated with columns {@code user_id,item_id,rating,timestamp}, as {@code generate} writes. */
    public static final CsvOptions DEFAULTS = new CsvOptions(',', "user_id", "item_id", "rating", "timestamp");

    /** Options whose rating and timestamp columns are optional in the file. */
    public CsvOptions(char delimiter, String userColumn, String itemColumn, String ratingColumn, String timestampColumn) {
        this(delimiter, userColumn, itemColumn, ratingColumn, timestampColumn, false, false);
    }
}
