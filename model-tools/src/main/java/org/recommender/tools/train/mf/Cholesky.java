package org.recommender.tools.train.mf;

/**
 * Solves {@code A x = b} for a small symmetric positive-definite {@code A} in place by Cholesky decomposition: the
 * exact least-squares step of explicit ALS. One instance per thread; it overwrites its inputs.
 */
final class Cholesky {
    private Cholesky() {}

    /**
     * @param a {@code n × n} row-major, overwritten by the factor L
     * @param b right-hand side, overwritten by the solution
     * @throws IllegalStateException when {@code a} is not positive definite (e.g. zero regularization on an empty row)
     */
    static void solve(double[] a, double[] b, int n) {
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= a[j * n + k] * a[j * n + k];
            }
            if (d <= 0) {
                throw new IllegalStateException("normal equations are not positive definite; raise the regularization");
            }
            d = Math.sqrt(d);
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = s / d;
            }
        }
        for (int i = 0; i < n; i++) { // L y = b
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= a[i * n + k] * b[k];
            }
            b[i] = s / a[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) { // Lᵀ x = y
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= a[k * n + i] * b[k];
            }
            b[i] = s / a[i * n + i];
        }
    }
}
