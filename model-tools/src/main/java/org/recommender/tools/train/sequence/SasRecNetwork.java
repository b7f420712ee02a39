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
 * <p>A batch's windows are cut into {@value #SHARDS} fixed shards, each with its own gradient buffer, run in
 * parallel and summed in shard order; dropout masks are drawn on the calling thread in window order before that. So
 * a seed gives the same model bit for bit, whatever the number of cores.
 */
final class SasRecNetwork implements SequenceNetwork {
    /**
     * Gradient shards per batch: fixed (not the core count) so the reduction order, and with it the result, is the
     * same on every machine; four keeps two to eight cores busy.
     */
    static final int SHARDS = 4;

    private final SasRecLayout layout;
    private final SasRecPass pass;
    private final double inputScale;
    private final double epsilon;
    private final double dropout;
    private final double[] parameters;
    private final double[][] shardGradients = new double[SHARDS][];
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
        for (int s = 0; s < SHARDS; s++) {
            shardGradients[s] = new double[parameters.length];
        }
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
        int rows = batch.rows();
        pass.transposed(parameters, transposed);
        double[] losses = new double[SHARDS];
        IntStream.range(0, SHARDS).parallel().forEach(s -> {
            double[] g = shardGradients[s];
            java.util.Arrays.fill(g, 0);
            double sum = 0;
            for (int r = s * rows / SHARDS; r < (s + 1) * rows / SHARDS; r++) {
                sum += pass.lossAndGradient(parameters, transposed, batch, r, masks == null ? null : masks[r], g);
            }
            losses[s] = sum;
        });
        double loss = 0;
        System.arraycopy(shardGradients[0], 0, out, 0, out.length);
        loss += losses[0];
        for (int s = 1; s < SHARDS; s++) {
            double[] g = shardGradients[s];
            for (int i = 0; i < out.length; i++) {
                out[i] += g[i];
            }
            loss += losses[s];
        }
        return loss;
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
        Map<String, float[]> blocks = new LinkedHashMap<>();
        float[][] items = new float[layout.items()][layout.dims()];
        layout.blocksByName().forEach((name, at) -> {
            float[] v = new float[at[1]];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) parameters[at[0] + i];
            }
            if (name.equals(SasRecLayout.ITEMS)) {
                for (int i = 0; i < items.length; i++) {
                    System.arraycopy(v, i * layout.dims(), items[i], 0, layout.dims());
                }
            } else {
                blocks.put(name, v);
            }
        });
        return new EncoderWeights("sasrec", fields, blocks, items);
    }

    @Override
    public void load(EncoderWeights weights) {
        layout.blocksByName().forEach((name, at) -> {
            if (name.equals(SasRecLayout.ITEMS)) {
                for (int i = 0; i < layout.items(); i++) {
                    for (int c = 0; c < layout.dims(); c++) {
                        parameters[at[0] + i * layout.dims() + c] = weights.items()[i][c];
                    }
                }
            } else {
                float[] v = weights.block(name);
                for (int i = 0; i < at[1]; i++) {
                    parameters[at[0] + i] = v[i];
                }
            }
        });
    }
}
