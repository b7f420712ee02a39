package org.recommender.tools.train.mf;

import org.recommender.tools.train.FactorModel;

/**
 * The kept samples of a Gibbs sampler over biased factors (rows {@code [p_u, b_u]} and {@code [q_i, b_i]}), in the
 * served form whose dot product plus μ is the posterior predictive mean <em>exactly</em>:
 * user {@code [p_u⁽¹⁾/S, …, p_u⁽ˢ⁾/S, b̄_u, 1]}, item {@code [q_i⁽¹⁾, …, q_i⁽ˢ⁾, 1, b̄_i]}, so that
 * {@code user·item + μ = μ + b̄_u + b̄_i + (1/S) Σ_s p_u⁽ˢ⁾·q_i⁽ˢ⁾ = (1/S) Σ_s r̂⁽ˢ⁾}. Averaging the factors instead
 * would not do: the mean of products is not the product of means, and the samples' factors are identified only up to
 * rotation. The price is {@code S·d + 2} served dimensions.
 */
final class PosteriorMean {
    private final String name;
    private final int dims;
    private final float[][] userSamples;
    private final float[][] itemSamples;
    private final double[] userBias;
    private final double[] itemBias;
    private final float mean;
    private int samples;

    /**
     * @param users user rows
     * @param items item rows
     * @param dims factor dimension d (rows hold d + 1 values, the bias last)
     * @param capacity the most samples {@link #add} will be given
     * @param mean μ, the global mean
     */
    PosteriorMean(String name, int users, int items, int dims, int capacity, float mean) {
        this.name = name;
        this.dims = dims;
        this.userSamples = new float[users][dims * capacity];
        this.itemSamples = new float[items][dims * capacity];
        this.userBias = new double[users];
        this.itemBias = new double[items];
        this.mean = mean;
    }

    /**
     * Keeps one sample (copied).
     *
     * @throws IllegalStateException beyond the capacity
     */
    void add(float[][] users, float[][] items) {
        if (users.length > 0 && (samples + 1) * dims > userSamples[0].length) {
            throw new IllegalStateException("more samples than the capacity " + userSamples[0].length / dims);
        }
        keep(users, userSamples, userBias);
        keep(items, itemSamples, itemBias);
        samples++;
    }

    private void keep(float[][] rows, float[][] kept, double[] bias) {
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, kept[r], samples * dims, dims);
            bias[r] += rows[r][dims];
        }
    }

    /** @return the samples kept so far */
    int samples() {
        return samples;
    }

    /** @return the served form of the samples kept so far (a copy), at least one */
    FactorModel model() {
        if (samples == 0) {
            throw new IllegalStateException("no sample kept yet");
        }
        int width = samples * dims;
        float scale = 1f / samples;
        float[][] u = new float[userSamples.length][width + 2];
        for (int r = 0; r < u.length; r++) {
            for (int f = 0; f < width; f++) {
                u[r][f] = userSamples[r][f] * scale;
            }
            u[r][width] = (float) (userBias[r] / samples);
            u[r][width + 1] = 1;
        }
        float[][] v = new float[itemSamples.length][width + 2];
        for (int r = 0; r < v.length; r++) {
            System.arraycopy(itemSamples[r], 0, v[r], 0, width);
            v[r][width] = 1;
            v[r][width + 1] = (float) (itemBias[r] / samples);
        }
        return new FactorModel(name, u, v, mean);
    }
}
