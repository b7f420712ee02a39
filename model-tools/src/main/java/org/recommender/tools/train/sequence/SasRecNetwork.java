package org.recommender.tools.train.sequence;

import org.recommender.tools.train.FlatAdam;
import org.recommender.tools.train.GaussianInit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * SASRec (Kang &amp; McAuley, ICDM 2018) trained by a hand-written forward and backward pass in plain Java
 * ({@link SasRecPass}), computing exactly the {@code sasrec} encoder of the model format, with Adam
 * ({@link FlatAdam}) over one flat double-precision parameter vector laid out by {@link SasRecLayout}. It replaced a
 * SameDiff graph that cost about half a second per step whatever the size (SameDiff 1.0.0-M2.1).
 *
 * <p>A batch's gradient is summed over fixed shards in shard order ({@link ShardedGradient}), and dropout masks are
 * drawn on the calling thread in window order before that, so a seed gives the same model bit for bit, whatever the
 * number of cores.
 */
final class SasRecNetwork implements SequenceNetwork {
    private final SasRecLayout layout;
    private final SasRecPass pass;
    private final double inputScale;
    private final double epsilon;
    private final double dropout;
    private final double[] parameters;
    private final ShardedGradient shards;
    private final double[] gradient;
    /** The parameters with each matrix transposed, refreshed before each use of the parameters. */
    private final double[] transposed;
    private final FlatAdam adam;

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
        this.layout = layout;
        this.pass = new SasRecPass(layout, inputScale, epsilon);
        this.inputScale = inputScale;
        this.epsilon = epsilon;
        this.dropout = dropout;
        this.parameters = new double[layout.size()];
        GaussianInit init = new GaussianInit(random, initStd);
        layout.blocksByName().forEach((name, at) -> {
            boolean gain = name.endsWith(".gain");
            boolean bias = name.endsWith("bias");
            for (int i = at[0]; i < at[0] + at[1]; i++) {
                parameters[i] = gain ? 1 : bias ? 0 : init.next() * initStd;
            }
        });
        this.shards = new ShardedGradient(parameters.length);
        this.gradient = new double[parameters.length];
        this.transposed = new double[parameters.length];
        this.adam = new FlatAdam(learningRate, parameters);
    }

    @Override
    public double step(Batch batch, SplittableRandom random) {
        double loss = lossAndGradient(batch, masks(batch, random), gradient);
        adam.step(gradient);
        return loss;
    }

    /**
     * The batch's loss (weights as the batch gives them) and its gradient, without stepping.
     *
     * @param masks per window, its dropout factors, or null entries for none
     * @param out receives the gradient, laid out as {@link #parameters()}
     */
    double lossAndGradient(Batch batch, SasRecPass.Masks[] masks, double[] out) {
        pass.transposed(parameters, transposed);
        return shards.sum(batch.rows(), (r, g) -> pass.lossAndGradient(parameters, transposed, batch, r, masks == null ? null : masks[r], g), out);
    }

    /** @return per window, dropout factors for its real positions drawn in window order; null without dropout */
    SasRecPass.Masks[] masks(Batch batch, SplittableRandom random) {
        if (dropout == 0 || random == null) {
            return null;
        }
        int d = layout.dims();
        int f = layout.ffnDims();
        int blocks = layout.blocks();
        SasRecPass.Masks[] masks = new SasRecPass.Masks[batch.rows()];
        for (int r = 0; r < masks.length; r++) {
            int n = layout.maxLength() - batch.padding()[r];
            double[][] attention = new double[blocks][];
            double[][] ffnIn = new double[blocks][];
            double[][] ffnOut = new double[blocks][];
            double[] input = DropoutMasks.factors(n * d, dropout, random);
            for (int b = 0; b < blocks; b++) {
                attention[b] = DropoutMasks.factors(n * d, dropout, random);
                ffnIn[b] = DropoutMasks.factors(n * f, dropout, random);
                ffnOut[b] = DropoutMasks.factors(n * d, dropout, random);
            }
            masks[r] = new SasRecPass.Masks(input, attention, ffnIn, ffnOut);
        }
        return masks;
    }

    /** @return the live parameter vector (tests perturb it) */
    double[] parameters() {
        return parameters;
    }

    /** @return the layout of {@link #parameters()} */
    SasRecLayout layout() {
        return layout;
    }

    @Override
    public float[][] encode(int[][] histories) {
        return encode(SequenceWindows.forEncoding(histories, layout.maxLength()));
    }

    @Override
    public float[][] encode(Batch batch) {
        float[][] users = new float[batch.rows()][];
        pass.transposed(parameters, transposed);
        IntStream.range(0, batch.rows()).parallel().forEach(r -> {
            double[] u = pass.encode(parameters, transposed, batch.inputs(), r * layout.maxLength(), batch.padding()[r]);
            users[r] = new float[u.length];
            for (int c = 0; c < u.length; c++) {
                users[r][c] = (float) u[c];
            }
        });
        return users;
    }

    @Override
    public int maxLength() {
        return layout.maxLength();
    }

    @Override
    public EncoderWeights weights() {
        Map<String, Number> fields = new LinkedHashMap<>();
        fields.put("item_dims", layout.dims());
        fields.put("user_dims", layout.dims());
        fields.put("max_length", layout.maxLength());
        fields.put("heads", layout.heads());
        fields.put("num_blocks", layout.blocks());
        fields.put("ffn_dims", layout.ffnDims());
        fields.put("input_scale", inputScale);
        fields.put("layer_norm_epsilon", epsilon);
        return FlatBlocks.export("sasrec", fields, layout.blocksByName(), parameters, layout.dims());
    }

    @Override
    public void load(EncoderWeights weights) {
        FlatBlocks.load(weights, layout.blocksByName(), parameters, layout.dims());
    }
}
