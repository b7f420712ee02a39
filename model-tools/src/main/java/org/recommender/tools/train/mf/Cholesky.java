package org.recommender.tools.train.mf;

import org.recommender.tools.train.SettingDoesNotTrainException;

/**
 * Cholesky factorisation {@code A = L Lᵀ} of a small symmetric positive-definite matrix, in place, and the two
 * triangular solves that use it: the exact least-squares step of explicit ALS, and the posterior draws of
 * {@link BpmfTrainer}. Matrices are {@code n × n} row-major {@code double[]}; only the lower triangle of {@code A} is
 * read. One instance of scratch per thread; every method overwrites its inputs.
 */
final class Cholesky {
    private Cholesky() {}

    /**
     * Solves {@code A x = b}.
     *
     * @param a {@code n × n} row-major, overwritten by the factor L
     * @param b right-hand side, overwritten by the solution
     * @throws IllegalStateException when {@code a} is not positive definite (e.g. zero regularization on an empty row)
     */
    static void solve(double[] a, double[] b, int n) {
        factor(a, n);
        forward(a, b, n);
        backward(a, b, n);
    }

    /**
     * Overwrites the lower triangle of {@code a} by L with {@code A = L Lᵀ}; the upper triangle is left as it was.
     *
     * @throws IllegalStateException when {@code a} is not positive definite
     */
    static void factor(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= a[j * n + k] * a[j * n + k];
            }
            if (d <= 0) {
                throw new SettingDoesNotTrainException("normal equations are not positive definite; raise the regularization");
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
    }

    /** Solves {@code L y = b} in place, with L from {@link #factor}. */
    static void forward(double[] l, double[] b, int n) {
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
    }

    /**
     * Solves {@code Lᵀ x = b} in place, with L from {@link #factor}. For {@code b} of independent standard normals,
     * {@code x} is normal with covariance {@code A⁻¹}: how a Gaussian with precision {@code A} is drawn.
     */
    static void backward(double[] l, double[] b, int n) {
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
    }
}
