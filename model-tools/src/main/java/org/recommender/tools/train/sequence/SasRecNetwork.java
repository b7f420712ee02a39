package org.recommender.tools.train.sequence;

import org.recommender.tools.train.GaussianInit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SASRec (Kang &amp; McAuley, ICDM 2018) trained by a hand-written forward and backward pass in plain Java
 * ({@link SasRecPass}), computing exactly the {@code sasrec} encoder of the model format, on the shared flat-network
 * training ({@link SequenceNetwork}) over the parameters laid out by {@link SasRecLayout}. It replaced a SameDiff
 * graph that cost about half a second per step whatever the size (SameDiff 1.0.0-M2.1).
 */
final class SasRecNetwork extends SequenceNetwork<SasRecPass.Masks> {
    private final SasRecLayout layout;
    private final double inputScale;
    private final double epsilon;

    /**
     * @param layout shapes
     * @param inputScale multiplies item vectors before the position row is added
     * @param epsilon layer-norm epsilon
     * @param dropout share of units dropped in training, in [0, 1)
     * @param learningRate Adam step size
     * @param initStd standard deviation of the normal initial weights (layer-norm gains start at 1, biases at 0)
     * @param random seeds the initial weights
     */
    SasRecNetwork(SasRecLayout layout, double inputScale, double epsilon, double dropout, double learningRate, double initStd,
        SplittableRandom random) {
        super(layout, dropout, learningRate, () -> new SasRecPass(layout, inputScale, epsilon));
        this.layout = layout;
        this.inputScale = inputScale;
        this.epsilon = epsilon;
        double[] parameters = parameters();
        GaussianInit init = new GaussianInit(random, initStd);
        layout.blocksByName().forEach((name, at) -> {
            boolean gain = name.endsWith(".gain");
            boolean bias = name.endsWith("bias");
            for (int i = at[0]; i < at[0] + at[1]; i++) {
                parameters[i] = gain ? 1 : bias ? 0 : init.next() * initStd;
            }
        });
    }

    /** Draws the input's mask, then per block the attention output's and both feed-forward layers'. */
    @Override
    SasRecPass.Masks windowMasks(int positions, double dropout, SplittableRandom random) {
        int d = layout.dims();
        int f = layout.ffnDims();
        int blocks = layout.blocks();
        double[][] attention = new double[blocks][];
        double[][] ffnIn = new double[blocks][];
        double[][] ffnOut = new double[blocks][];
        double[] input = DropoutMasks.factors(positions * d, dropout, random);
        for (int b = 0; b < blocks; b++) {
            attention[b] = DropoutMasks.factors(positions * d, dropout, random);
            ffnIn[b] = DropoutMasks.factors(positions * f, dropout, random);
            ffnOut[b] = DropoutMasks.factors(positions * d, dropout, random);
        }
        return new SasRecPass.Masks(input, attention, ffnIn, ffnOut);
    }

    @Override
    String type() {
        return SasRecTrainer.NAME;
    }

    @Override
    Map<String, Number> fields() {
        Map<String, Number> fields = new LinkedHashMap<>();
        fields.put("item_dims", layout.dims());
        fields.put("user_dims", layout.dims());
        fields.put("max_length", layout.maxLength());
        fields.put("heads", layout.heads());
        fields.put("num_blocks", layout.blocks());
        fields.put("ffn_dims", layout.ffnDims());
        fields.put("input_scale", inputScale);
        fields.put("layer_norm_epsilon", epsilon);
        return fields;
    }
}
