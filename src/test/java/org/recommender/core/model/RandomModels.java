package org.recommender.core.model;

import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.InputPart;

import java.util.SplittableRandom;

/**
 * Seeded random {@code mlp} and {@code neumf} bundles for tests and benchmarks (a test fixture: it ships in the core's
 * test jar, never in the plugin zip). Weights are drawn uniformly from
 * ±√(6 / (inputs + outputs)) (Glorot), so activations keep a sensible scale through the layers and scores look like
 * those of a trained model rather than overflowing or vanishing. Same arguments, same bundle.
 */
public final class RandomModels {
    private RandomModels() {}

    /**
     * @param dims user and item dimension
     * @param hidden widths of the hidden ReLU layers (may be empty)
     * @param seed random seed
     * @return an {@code mlp} over {@code [user, item, product]} with an identity output
     */
    public static ModelBundle mlp(int dims, int[] hidden, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ModelBundleBuilder builder = ModelBundle.builder("mlp")
            .dims(dims)
            .input(InputPart.USER, InputPart.ITEM, InputPart.PRODUCT)
            .metadata("trained_by", "RandomModels.mlp")
            .metadata("seed", seed);
        int width = 3 * dims;
        for (int outputs : hidden) {
            builder.layer(width, outputs, Activation.RELU, glorot(random, width, outputs), uniform(random, outputs, 0.1));
            width = outputs;
        }
        return builder.output(glorot(random, width, 1), (float) random.nextDouble(-0.1, 0.1)).build();
    }

    /**
     * @param dims user and item dimension
     * @param gmfDims length of the GMF slice; the MLP slices take the remaining {@code dims - gmfDims}
     * @param tower widths of the MLP tower's ReLU layers (at least one)
     * @param seed random seed
     * @param outputActivation e.g. {@link Activation#SIGMOID} as in the NeuMF paper, or identity for raw scores
     * @return a {@code neumf} bundle
     */
    public static ModelBundle neumf(int dims, int gmfDims, int[] tower, long seed, Activation outputActivation) {
        SplittableRandom random = new SplittableRandom(seed);
        ModelBundleBuilder builder = ModelBundle.builder("neumf")
            .dims(dims)
            .gmfDims(gmfDims)
            .outputActivation(outputActivation)
            .metadata("trained_by", "RandomModels.neumf")
            .metadata("seed", seed);
        int width = 2 * (dims - gmfDims);
        for (int outputs : tower) {
            builder.layer(width, outputs, Activation.RELU, glorot(random, width, outputs), uniform(random, outputs, 0.1));
            width = outputs;
        }
        return builder.output(glorot(random, gmfDims + width, 1), (float) random.nextDouble(-0.1, 0.1)).build();
    }

    /**
     * @return a {@code neumf} bundle with a GMF slice of half of {@code dims}, a ReLU tower of {@code tower} widths and
     *     an identity output (raw scores)
     */
    public static ModelBundle neumf(int dims, int[] tower, long seed) {
        return neumf(dims, dims / 2, tower, seed, Activation.IDENTITY);
    }

    /** @return {@code dims} values uniform in [−1, 1): a stand-in for an embedding */
    public static float[] vector(SplittableRandom random, int dims) {
        return uniform(random, dims, 1.0);
    }

    private static float[] glorot(SplittableRandom random, int inputs, int outputs) {
        return uniform(random, inputs * outputs, Math.sqrt(6.0 / (inputs + outputs)));
    }

    private static float[] uniform(SplittableRandom random, int n, double limit) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble(-limit, limit);
        }
        return values;
    }
}
