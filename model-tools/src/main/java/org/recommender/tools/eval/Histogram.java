package org.recommender.tools.eval;

/**
 * Counts of values in equal-width bins between {@code min} and {@code max} (values outside fall in the end bins).
 *
 * @param min lower edge of the first bin
 * @param max upper edge of the last bin
 * @param counts one count per bin
 */
public record Histogram(double min, double max, long[] counts) {
    /** @return a histogram of {@code values[0 .. size)} in {@code bins} bins spanning their range */
    public static Histogram of(float[] values, int size, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            lo = Math.min(lo, values[i]);
            hi = Math.max(hi, values[i]);
        }
        return of(values, size, bins, lo, hi);
    }

    /** @return a histogram of {@code values[0 .. size)} in {@code bins} bins spanning [lo, hi], so two can share bins */
    public static Histogram of(float[] values, int size, int bins, double lo, double hi) {
        if (Double.isFinite(lo) == false || Double.isFinite(hi) == false) {
            lo = 0;
            hi = 1;
        } else if (hi <= lo) {
            hi = lo + 1;
        }
        long[] counts = new long[bins];
        for (int i = 0; i < size; i++) {
            int b = (int) ((values[i] - lo) / (hi - lo) * bins);
            counts[Math.min(bins - 1, Math.max(0, b))]++;
        }
        return new Histogram(lo, hi, counts);
    }

    /** Compares the counts by content (a record's generated equals would compare the array by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && min == h.min && max == h.max && java.util.Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(min, max, java.util.Arrays.hashCode(counts));
    }

    @Override
    public String toString() {
        return "Histogram[min=" + min + ", max=" + max + ", counts=" + java.util.Arrays.toString(counts) + "]";
    }
}
