package org.recommender.tools.train.mf;

import org.recommender.tools.train.GaussianInit;

import java.util.SplittableRandom;

/**
 * Seeded draws from the distributions a Gibbs sampler for Bayesian factorisation needs: standard normal, gamma and
 * Wishart. Everything comes from one {@link SplittableRandom} in a fixed order, so the same seed gives the same draws
 * on every JDK ({@code StrictMath}, normals by {@link GaussianInit}). Not thread-safe: one instance per thread.
 */
final class Draws {
    private final SplittableRandom random;
    private final GaussianInit normal;

    Draws(SplittableRandom random) {
        this.random = random;
        this.normal = new GaussianInit(random, 1);
    }

    /** @return one standard normal draw */
    double normal() {
        return normal.next();
    }

    /**
     * Marsaglia and Tsang's method ("A simple method for generating gamma variables", ACM TOMS 26(3), 2000), with
     * their boost {@code Γ(a) = Γ(a + 1)·U^(1/a)} below shape 1.
     *
     * @param shape k, positive
     * @param scale θ, positive (mean kθ, variance kθ²)
     */
    double gamma(double shape, double scale) {
        if (shape < 1) {
            return gamma(shape + 1, scale) * StrictMath.pow(1 - random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = normal();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
                return d * v * scale;
            }
        }
    }

    /**
     * Draws {@code Λ ~ Wishart(ν, W)} (mean {@code νW}) by Bartlett's decomposition: {@code Λ = (L A)(L A)ᵀ} with
     * {@code L Lᵀ = W} and A lower triangular, {@code A_kk² ~ χ²(ν − k)} (k from 0), standard normals below the diagonal.
     * W is given by the Cholesky factor M of its inverse ({@code W⁻¹ = M Mᵀ}), so {@code L = M⁻ᵀ} and no inverse is formed.
     *
     * @param nu degrees of freedom, above {@code n − 1}
     * @param inverseScaleFactor M from {@link Cholesky#factor} of {@code W⁻¹}, {@code n × n} row-major (lower triangle read)
     * @return Λ, {@code n × n} row-major, symmetric
     */
    double[] wishart(double nu, double[] inverseScaleFactor, int n) {
        double[] a = new double[n * n]; // A, then column by column L·A (solving Mᵀ x = column of A)
        for (int k = 0; k < n; k++) {
            a[k * n + k] = Math.sqrt(2 * gamma((nu - k) / 2, 1)); // χ²(ν − k) = 2·Γ((ν − k)/2, 1)
            for (int j = 0; j < k; j++) {
                a[k * n + j] = normal();
            }
        }
        double[] column = new double[n];
        double[] la = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++) {
                column[k] = a[k * n + j];
            }
            Cholesky.backward(inverseScaleFactor, column, n);
            for (int k = 0; k < n; k++) {
                la[k * n + j] = column[k];
            }
        }
        double[] lambda = new double[n * n];
        for (int x = 0; x < n; x++) {
            for (int y = 0; y <= x; y++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += la[x * n + k] * la[y * n + k];
                }
                lambda[x * n + y] = s;
                lambda[y * n + x] = s;
            }
        }
        return lambda;
    }
}
