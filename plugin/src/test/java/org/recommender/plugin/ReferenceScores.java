package org.recommender.plugin;

/**
 * Scores computed independently of the plugin (double precision, written out from the documented formulas), so
 * tests compare the plugin against something it did not compute.
 */
public final class ReferenceScores {
    private ReferenceScores() {}

    /** Documented {@code dot} score: raw + 1 for raw ≥ 0, else 1 / (1 − raw). */
    public static double dot(float[] q, float[] d) {
        double raw = 0;
        for (int i = 0; i < q.length; i++) {
            raw += (double) q[i] * d[i];
        }
        return raw < 0 ? 1 / (1 - raw) : raw + 1;
    }

    /** Documented {@code cosine} score: (1 + cos) / 2. */
    public static double cosine(float[] q, float[] d) {
        return (1 + rawCosine(q, d)) / 2;
    }

    /** The cosine similarity itself, in [−1, 1]. */
    public static double rawCosine(float[] q, float[] d) {
        double dot = 0, nq = 0, nd = 0;
        for (int i = 0; i < q.length; i++) {
            dot += (double) q[i] * d[i];
            nq += (double) q[i] * q[i];
            nd += (double) d[i] * d[i];
        }
        return dot / Math.sqrt(nq * nd);
    }
}
