package org.recommender.core.model;

import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.InputPart;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random {@code mlp}, {@code neumf} and encoder bundles for tests and benchmarks (a test fixture: it ships in the core's
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

    /**
     * Seeded weights of a {@code sasrec} encoder, by block name: Glorot matrices, layer-norm gains near 1, small
     * biases, position rows of ±0.5.
     */
    public static Map<String, float[]> sasrecWeights(int dims, int maxLength, int numBlocks, int ffnDims, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put("positions", uniform(random, maxLength * dims, 0.5));
        for (int b = 0; b < numBlocks; b++) {
            String p = "blocks[" + b + "].";
            w.put(p + "attention_norm.gain", around(random, dims, 1, 0.2));
            w.put(p + "attention_norm.bias", uniform(random, dims, 0.1));
            w.put(p + "attention.in_weights", glorot(random, dims, 3 * dims));
            w.put(p + "attention.in_bias", uniform(random, 3 * dims, 0.1));
            w.put(p + "attention.out_weights", glorot(random, dims, dims));
            w.put(p + "attention.out_bias", uniform(random, dims, 0.1));
            w.put(p + "ffn_norm.gain", around(random, dims, 1, 0.2));
            w.put(p + "ffn_norm.bias", uniform(random, dims, 0.1));
            w.put(p + "ffn.in_weights", glorot(random, dims, ffnDims));
            w.put(p + "ffn.in_bias", uniform(random, ffnDims, 0.1));
            w.put(p + "ffn.out_weights", glorot(random, ffnDims, dims));
            w.put(p + "ffn.out_bias", uniform(random, dims, 0.1));
        }
        w.put("final_norm.gain", around(random, dims, 1, 0.2));
        w.put("final_norm.bias", uniform(random, dims, 0.1));
        return w;
    }

    /** @return a seeded {@code sasrec} encoder (input scale 1, default epsilon) with {@link #sasrecWeights} */
    public static ModelBundle sasrec(int dims, int maxLength, int heads, int numBlocks, int ffnDims, long seed) {
        ModelBundleBuilder builder = ModelBundle.builder("sasrec").dims(dims).maxLength(maxLength).heads(heads).numBlocks(numBlocks).ffnDims(ffnDims)
            .metadata("trained_by", "RandomModels.sasrec").metadata("seed", seed);
        sasrecWeights(dims, maxLength, numBlocks, ffnDims, seed).forEach(builder::weights);
        return builder.build();
    }

    /** Seeded weights of a {@code gru4rec} encoder, by block name (Glorot matrices, small biases). */
    public static Map<String, float[]> gru4recWeights(int itemDims, int hidden, int userDims, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put("gru.input_weights", glorot(random, itemDims, 3 * hidden));
        w.put("gru.hidden_weights", glorot(random, hidden, 3 * hidden));
        w.put("gru.input_bias", uniform(random, 3 * hidden, 0.1));
        w.put("gru.hidden_bias", uniform(random, 3 * hidden, 0.1));
        w.put("output.weights", glorot(random, hidden, userDims));
        w.put("output.bias", uniform(random, userDims, 0.1));
        return w;
    }

    /** @return a seeded {@code gru4rec} encoder with {@link #gru4recWeights} */
    public static ModelBundle gru4rec(int itemDims, int hidden, int userDims, int maxLength, long seed) {
        ModelBundleBuilder builder = ModelBundle.builder("gru4rec").itemDims(itemDims).userDims(userDims).hiddenDims(hidden).maxLength(maxLength)
            .metadata("trained_by", "RandomModels.gru4rec").metadata("seed", seed);
        gru4recWeights(itemDims, hidden, userDims, seed).forEach(builder::weights);
        return builder.build();
    }

    /** @return a seeded {@code multdae} encoder; its {@code encoder.bias} is {@code uniform(±0.1)} from {@code seed} */
    public static ModelBundle multdae(int dims, int maxLength, long seed) {
        return ModelBundle.builder("multdae").dims(dims).maxLength(maxLength)
            .weights("encoder.bias", multdaeBias(dims, seed)).metadata("trained_by", "RandomModels.multdae").build();
    }

    /** @return the {@code encoder.bias} {@link #multdae} uses */
    public static float[] multdaeBias(int dims, long seed) {
        return uniform(new SplittableRandom(seed), dims, 0.1);
    }

    private static float[] around(SplittableRandom random, int n, double centre, double limit) {
        float[] values = uniform(random, n, limit);
        for (int i = 0; i < n; i++) {
            values[i] += (float) centre;
        }
        return values;
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
