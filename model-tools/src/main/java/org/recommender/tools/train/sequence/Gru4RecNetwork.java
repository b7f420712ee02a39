package org.recommender.tools.train.sequence;

import org.recommender.tools.train.FlatAdam;
import org.recommender.tools.train.GaussianInit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * GRU4Rec (Hidasi et al., ICLR 2016) trained by a hand-written forward and backward pass through time in plain Java
 * ({@link Gru4RecPass}), computing exactly the {@code gru4rec} encoder of the model format (PyTorch's gate layout),
 * with Adam ({@link FlatAdam}) over one flat double-precision parameter vector laid out by {@link Gru4RecLayout}. It
 * replaced a SameDiff graph unrolled over the window that was far too slow to train (SameDiff 1.0.0-M2.1 costs about
 * half a second per step whatever the size).
 *
 * <p>Training: the next-item cross-entropy of a full softmax over every item at every real position, the item table
 * tied as output embedding (not the paper's sampled-negative losses, which a catalogue of ML-100K's size does not
 * need); inverted dropout on the item vectors going in and on the states going to the output layer.
 *
 * <p>A batch's gradient is summed over fixed shards in shard order ({@link ShardedGradient}), and dropout masks are
 * drawn on the calling thread in window order before that, so a seed gives the same model bit for bit, whatever the
 * number of cores.
 */
final class Gru4RecNetwork implements SequenceNetwork {
    private final Gru4RecLayout layout;
    private final Gru4RecPass pass;
    private final double dropout;
    private final double[] parameters;
    private final ShardedGradient shards;
    private final double[] gradient;
    /** The parameters with each matrix transposed, refreshed before each use of the parameters. */
    private final double[] transposed;
    private final FlatAdam adam;

    /**
     * @param layout shapes
     * @param dropout share of units dropped in training, in [0, 1)
     * @param learningRate Adam step size
     * @param initStd standard deviation of the normal initial item table and output weights
     * @param random seeds the initial weights: the item table and output weights N(0, initStd²), the GRU's weights
     *     uniform in ±1/√H (PyTorch's {@code nn.GRU} initialisation), every bias 0
     */
    Gru4RecNetwork(Gru4RecLayout layout, double dropout, double learningRate, double initStd, SplittableRandom random) {
        this.layout = layout;
        this.pass = new Gru4RecPass(layout);
        this.dropout = dropout;
        this.parameters = new double[layout.size()];
        GaussianInit init = new GaussianInit(random, initStd);
        double bound = 1 / Math.sqrt(layout.hidden());
        layout.blocksByName().forEach((name, at) -> {
            boolean bias = name.endsWith("bias");
            boolean recurrent = name.startsWith("gru.");
            for (int i = at[0]; i < at[0] + at[1]; i++) {
                parameters[i] = bias ? 0 : recurrent ? (2 * random.nextDouble() - 1) * bound : init.next() * initStd;
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
     * @param masks per window, its dropout factors, or null for none
     * @param out receives the gradient, laid out as {@link #parameters()}
     */
    double lossAndGradient(Batch batch, Gru4RecPass.Masks[] masks, double[] out) {
        pass.transposed(parameters, transposed);
        return shards.sum(batch.rows(), (r, g) -> pass.lossAndGradient(parameters, transposed, batch, r, masks == null ? null : masks[r], g), out);
    }

    /** @return per window, dropout factors for its real positions drawn in window order; null without dropout */
    Gru4RecPass.Masks[] masks(Batch batch, SplittableRandom random) {
        if (dropout == 0 || random == null) {
            return null;
        }
        Gru4RecPass.Masks[] masks = new Gru4RecPass.Masks[batch.rows()];
        for (int r = 0; r < masks.length; r++) {
            int n = layout.maxLength() - batch.padding()[r];
            double[] input = DropoutMasks.factors(n * layout.dims(), dropout, random);
            double[] output = DropoutMasks.factors(n * layout.hidden(), dropout, random);
            masks[r] = new Gru4RecPass.Masks(input, output);
        }
        return masks;
    }

    /** @return the live parameter vector (tests perturb it) */
    double[] parameters() {
        return parameters;
    }

    /** @return the layout of {@link #parameters()} */
    Gru4RecLayout layout() {
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
        fields.put("hidden_dims", layout.hidden());
        return FlatBlocks.export(Gru4RecTrainer.NAME, fields, layout.blocksByName(), parameters, layout.dims());
    }

    @Override
    public void load(EncoderWeights weights) {
        FlatBlocks.load(weights, layout.blocksByName(), parameters, layout.dims());
    }
}
