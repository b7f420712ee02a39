package org.recommender.tools.data;

/**
 * What a loader read.
 *
 * @param interactions the interactions kept
 * @param format the format the file was read as
 * @param dataLines non-blank data lines seen (header excluded)
 * @param skippedBadLines malformed lines skipped (only with {@link LoadOptions#skipBadLines()})
 * @param firstBadLine the message for the first skipped line, or {@code null}
 * @param belowMinRating well-formed lines dropped by {@link LoadOptions#minRating()}
 * @param hasRatings whether the file has a rating column
 * @param hasTimestamps whether the file has a timestamp column (otherwise line numbers order the rows)
 */
public record LoadResult(
    Interactions interactions,
    InteractionFormat format,
    long dataLines,
    long skippedBadLines,
    String firstBadLine,
    long belowMinRating,
    boolean hasRatings,
    boolean hasTimestamps
) {}
