package org.recommender.tools.data;

/**
 * How to read a generic CSV file: the delimiter and the header names of the columns to use.
 *
 * @param delimiter the field separator
 * @param userColumn header name of the user id column (required in the file)
 * @param itemColumn header name of the item id column (required in the file)
 * @param ratingColumn header name of the rating column; when the file lacks it every rating is 1
 * @param timestampColumn header name of the timestamp column (integer); when the file lacks it the line number
 *     stands in, so "latest" means "last in the file"
 */
public record CsvOptions(char delimiter, String userColumn, String itemColumn, String ratingColumn, String timestampColumn) {
    /** Comma-separated with columns {@code user_id,item_id,rating,timestamp}, as {@code generate} writes. */
    public static final CsvOptions DEFAULTS = new CsvOptions(',', "user_id", "item_id", "rating", "timestamp");
}
