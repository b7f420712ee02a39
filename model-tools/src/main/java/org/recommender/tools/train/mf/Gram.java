package org.recommender.tools.train.mf;

/** The Gram matrix {@code FᵀF} of a factor matrix, in double precision, which both ALS variants start each half-step from. */
final class Gram {
    private Gram() {}

    /** @return {@code Σ_rows f fᵀ} as a {@code dims × dims} row-major array */
    static double[] of(float[][] factors, int dims) {
        double[] g = new double[dims * dims];
        for (float[] f : factors) {
            for (int a = 0; a < dims; a++) {
                double fa = f[a];
                for (int b = a; b < dims; b++) {
                    g[a * dims + b] += fa * f[b];
                }
            }
        }
        for (int a = 0; a < dims; a++) {
            for (int b = 0; b < a; b++) {
                g[a * dims + b] = g[b * dims + a];
            }
        }
        return g;
    }
}
