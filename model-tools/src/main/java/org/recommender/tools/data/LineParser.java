package org.recommender.tools.data;

/**
 * Turns the lines of one interaction file into interactions. {@link InteractionLoader} owns the reading loop (line
 * numbers, blank lines, skipping and counting bad lines); a parser only knows its format's syntax, so every format
 * reports malformed lines the same way. A parser reads one file: it may learn the file's layout from a header or
 * from its first record.
 */
interface LineParser {
    /** @return whether the first line is a header, to be given to {@link #header} instead of {@link #parse} */
    boolean hasHeader();

    /**
     * Reads the header line (only called when {@link #hasHeader()}).
     *
     * @throws InteractionFileException naming line 1 when the header lacks a required column
     */
    void header(String line) throws InteractionFileException;

    /**
     * @param line one data line, non-blank, without line terminator or byte-order mark
     * @param lineNo its 1-based number, the timestamp of formats without one
     * @throws IllegalArgumentException describing what is wrong with the line (the loader adds file and line)
     */
    ParsedInteraction parse(String line, long lineNo);

    /** @return whether the file has ratings (known after the header, or after the first good record where there is no header) */
    boolean hasRatings();

    /** @return whether the file has timestamps (known after the header, or after the first good record where there is no header) */
    boolean hasTimestamps();

    /** @return for the {@code --min-rating} error: where the rating was looked for, e.g. "the header has no column [rating]" */
    String missingRatingReason();

    /**
     * One interaction as read from a line, before ids are interned.
     *
     * @param user the user id
     * @param item the item id
     * @param rating the rating, 1 where the file has none
     * @param timestamp the timestamp, the line number where the file has none
     */
    record ParsedInteraction(String user, String item, float rating, long timestamp) {}
}
