package org.recommender.tools.eval;

import java.util.Arrays;

/** A growable list of floats: the scores collected for a distribution. */
final class FloatList {
    private float[] values = new float[256];
    private int size;

    void add(float v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    double min() {
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            m = Math.min(m, values[i]);
        }
        return m;
    }

    double max() {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            m = Math.max(m, values[i]);
        }
        return m;
    }

    Histogram histogram(int bins, double lo, double hi) {
        return Histogram.of(values, size, bins, lo, hi);
    }
}
