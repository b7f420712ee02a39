package org.recommender.tools.train.mf;

/**
 * The conjugate Normal–Wishart hyper-prior of Bayesian probabilistic matrix factorisation (Salakhutdinov and Mnih,
 * "Bayesian probabilistic matrix factorization using Markov chain Monte Carlo", ICML 2008, eq. 14): rows are
 * {@code N(μ, Λ⁻¹)}, with {@code Λ ~ W(ν₀, W₀)} and {@code μ | Λ ~ N(μ₀, (β₀Λ)⁻¹)}. The paper's defaults:
 * {@code μ₀ = 0}, {@code β₀ = 2}, {@code ν₀ = n} (the row length), {@code W₀ = I}.
 */
final class NormalWishart {
    /** β₀: the prior's weight on μ₀, in rows (the paper's value). */
    static final double BETA0 = 2;

    private NormalWishart() {}

    /** A draw of the row prior's parameters: mean μ and precision Λ ({@code n × n} row-major). */
    record RowPrior(double[] mean, double[] precision) {}

    /**
     * Draws {@code (μ, Λ)} from their posterior given the current rows.
     *
     * @param rows the rows, each at least {@code n} long (only the first {@code n} values are read); at least one
     * @param n the row length
     */
    static RowPrior draw(float[][] rows, int n, Draws draws) {
        int count = rows.length;
        double[] mean = new double[n];
        for (float[] r : rows) {
            for (int x = 0; x < n; x++) {
                mean[x] += r[x];
            }
        }
        for (int x = 0; x < n; x++) {
            mean[x] /= count;
        }
        // W_n⁻¹ = W₀⁻¹ + Σ (r − r̄)(r − r̄)ᵀ + β₀N/(β₀ + N) · r̄ r̄ᵀ   (μ₀ = 0, W₀ = I)
        double[] inverseScale = new double[n * n];
        double[] centred = new double[n];
        for (float[] r : rows) {
            for (int x = 0; x < n; x++) {
                centred[x] = r[x] - mean[x];
            }
            for (int x = 0; x < n; x++) {
                for (int y = 0; y <= x; y++) {
                    inverseScale[x * n + y] += centred[x] * centred[y];
                }
            }
        }
        double shrink = BETA0 * count / (BETA0 + count);
        for (int x = 0; x < n; x++) {
            inverseScale[x * n + x] += 1;
            for (int y = 0; y <= x; y++) {
                inverseScale[x * n + y] += shrink * mean[x] * mean[y];
            }
        }
        Cholesky.factor(inverseScale, n);
        double[] precision = draws.wishart(n + count, inverseScale, n);
        // μ ~ N(μ_n, (β_n Λ)⁻¹), μ_n = N r̄ / (β₀ + N)
        double betaN = BETA0 + count;
        double[] factor = new double[n * n];
        for (int i = 0; i < factor.length; i++) {
            factor[i] = betaN * precision[i];
        }
        Cholesky.factor(factor, n);
        double[] mu = new double[n];
        for (int x = 0; x < n; x++) {
            mu[x] = draws.normal();
        }
        Cholesky.backward(factor, mu, n);
        for (int x = 0; x < n; x++) {
            mu[x] += count * mean[x] / betaN;
        }
        return new RowPrior(mu, precision);
    }
}
