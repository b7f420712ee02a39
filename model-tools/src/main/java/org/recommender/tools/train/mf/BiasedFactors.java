package org.recommender.tools.train.mf;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.FactorModel;

/**
 * Factors of a biased rating model as trainers hold them — user rows {@code [p_u, b_u]}, item rows
 * {@code [q_i, b_i]}, global mean μ — and their conversion to the served form: user {@code [p_u, b_u, 1]}, item
 * {@code [q_i, 1, b_i]}, so that a plain dot product plus μ is the predicted rating.
 */
final class BiasedFactors {
    private final String name;
    private final float[][] users;
    private final float[][] items;
    private final float mean;

    BiasedFactors(String name, float[][] users, float[][] items, float mean) {
        this.name = name;
        this.users = users;
        this.items = items;
        this.mean = mean;
    }

    float predict(int u, int i) {
        float[] p = users[u];
        float[] q = items[i];
        int d = p.length - 1;
        float s = mean + p[d] + q[d];
        for (int f = 0; f < d; f++) {
            s += p[f] * q[f];
        }
        return s;
    }

    /**
     * Adds one row's data terms to its normal equations: for each rating of row {@code row} of {@code m}, with the
     * other side's row {@code [q, b_other]}, features {@code f = [q, 1]} and target {@code t = r − μ − b_other},
     * {@code a += w f fᵀ} (lower triangle only) and {@code b += w t f}. The one home of the biased row's equations:
     * explicit ALS solves them with {@code w = 1}, BPMF draws from the Gaussian they define with {@code w = α}.
     *
     * @param a {@code (d+1) × (d+1)} row-major, d the factor dimension
     * @param b length {@code d + 1}
     */
    static void addRowEquations(double[] a, double[] b, float[][] fixed, UserItemMatrix m, int row, float mean, double weight) {
        int n = b.length;
        int d = n - 1;
        for (int e = m.rowStart(row); e < m.rowStart(row + 1); e++) {
            float[] q = fixed[m.itemOfEntry(e)];
            double t = weight * (m.valueOfEntry(e) - mean - q[d]);
            for (int x = 0; x < n; x++) {
                double fx = x < d ? q[x] : 1;
                b[x] += t * fx;
                double wfx = weight * fx;
                for (int y = 0; y <= x; y++) {
                    a[x * n + y] += wfx * (y < d ? q[y] : 1);
                }
            }
        }
    }

    /** @return the mean squared error over the stored ratings of {@code data} */
    double meanSquaredError(UserItemMatrix data) {
        double sum = 0;
        for (int e = 0; e < data.nonZeros(); e++) {
            double err = data.valueOfEntry(e) - predict(data.userOfEntry(e), data.itemOfEntry(e));
            sum += err * err;
        }
        return data.nonZeros() == 0 ? 0 : sum / data.nonZeros();
    }

    /** @return the served form: biases folded into the vectors, μ as the global bias */
    FactorModel model() {
        int d = users.length > 0 ? users[0].length - 1 : items.length > 0 ? items[0].length - 1 : 0;
        float[][] u = new float[users.length][d + 2];
        for (int r = 0; r < users.length; r++) {
            System.arraycopy(users[r], 0, u[r], 0, d);
            u[r][d] = users[r][d];
            u[r][d + 1] = 1;
        }
        float[][] v = new float[items.length][d + 2];
        for (int r = 0; r < items.length; r++) {
            System.arraycopy(items[r], 0, v[r], 0, d);
            v[r][d] = 1;
            v[r][d + 1] = items[r][d];
        }
        return new FactorModel(name, u, v, mean);
    }
}
