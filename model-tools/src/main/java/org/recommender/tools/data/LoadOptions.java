package org.recommender.tools.data;

/**
 * What to keep while loading interactions.
 *
 * @param minRating interactions rated below this are dropped (implicit feedback from explicit ratings);
 *     {@link Double#NEGATIVE_INFINITY} keeps everything
 * @param skipBadLines skip malformed lines (and count them) instead of failing on the first one
 */
public record LoadOptions(double minRating, boolean skipBadLines) {
    /** Keep every interaction; fail on the first malformed line. */
    public static final LoadOptions STRICT = new LoadOptions(Double.NEGATIVE_INFINITY, false);

    /** @return whether a minimum rating is in force */
    public boolean filtersRatings() {
        return minRating != Double.NEGATIVE_INFINITY;
    }
}
