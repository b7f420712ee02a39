package org.recommender.tools.train.sequence;

import org.recommender.tools.train.FlatAdam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A hand-written sequence encoder being trained (SASRec, GRU4Rec): the training plumbing every such model shares,
 * over the model's own {@link SequencePass}. The weights are one flat double-precision vector laid out by the model's
 * {@link SequenceLayout}, stepped by Adam ({@link FlatAdam}) on the next-item loss the pass computes. The item table
 * is both the input and the output embedding, so a user vector scores items by dot product with it.
 *
 * <p>A batch's gradient is summed over fixed shards in shard order ({@link ShardedGradient}), each shard with its own
 * pass (and so its own scratch), and dropout masks are drawn on the calling thread in window order before that, so a
 * seed gives the same model bit for bit, whatever the number of cores.
 *
 * <p>A model supplies only what differs: its layout and pass, its initial weights (set in its constructor through
 * {@link #parameters()}), its dropout masks and its encoder's type and header fields.
 *
 * <p>Not thread-safe: training and encoding run the passes' scratch on the shard threads, so one caller at a time.
 *
 * @param <M> one window's dropout masks, as the model's pass reads them
 */
abstract class SequenceNetwork<M> {
    private final SequenceLayout layout;
    private final double dropout;
    private final double[] parameters;
    /** The parameters with each matrix transposed, refreshed before each use of the parameters. */
    private final double[] transposed;
    private final double[] gradient;
    /** One pass per gradient shard, so each thread reuses its own scratch. */
    private final List<SequencePass<M>> passes = new ArrayList<>();
    private final ShardedGradient shards;
    private final FlatAdam adam;

    /**
     * Starts with every parameter 0; the model's constructor then sets its initial weights in {@link #parameters()}.
     *
     * @param layout shapes, and where each block lies in the parameters
     * @param dropout share of units dropped in training, in [0, 1)
     * @param learningRate Adam step size
     * @param pass makes a fresh pass of the model (one per shard)
     */
    SequenceNetwork(SequenceLayout layout, double dropout, double learningRate, Supplier<? extends SequencePass<M>> pass) {
        this.layout = layout;
        this.dropout = dropout;
        this.parameters = new double[layout.size()];
        this.transposed = new double[parameters.length];
        this.gradient = new double[parameters.length];
        for (int s = 0; s < ShardedGradient.SHARDS; s++) {
            passes.add(pass.get());
        }
        this.shards = new ShardedGradient(parameters.length);
        this.adam = new FlatAdam(learningRate, parameters);
    }

    /**
     * Draws one window's dropout masks; called in window order on the training thread.
     *
     * @param positions the window's real positions
     * @param dropout share of units dropped, in (0, 1)
     * @param random the trainer's generator
     */
    abstract M windowMasks(int positions, double dropout, SplittableRandom random);

    /** @return the encoder type, as the bundle names it ({@code sasrec}, {@code gru4rec}) */
    abstract String type();

    /** @return the encoder bundle's header fields, by their bundle names, in bundle order */
    abstract Map<String, Number> fields();

    /**
     * One Adam step on a batch, with dropout masks drawn from {@code random}.
     *
     * @return the batch's mean cross-entropy over its real positions
     */
    final double step(Batch batch, SplittableRandom random) {
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
    final double lossAndGradient(Batch batch, List<M> masks, double[] out) {
        passes.get(0).transposed(parameters, transposed);
        return shards.sum(batch.rows(),
            (s, r, g) -> passes.get(s).lossAndGradient(parameters, transposed, batch, r, masks == null ? null : masks.get(r), g), out);
    }

    /** @return per window, dropout factors for its real positions drawn in window order; null without dropout */
    final List<M> masks(Batch batch, SplittableRandom random) {
        if (dropout == 0 || random == null) {
            return null;
        }
        List<M> masks = new ArrayList<>(batch.rows());
        for (int r = 0; r < batch.rows(); r++) {
            masks.add(windowMasks(layout.maxLength() - batch.padding()[r], dropout, random));
        }
        return Collections.unmodifiableList(masks);
    }

    /** @return the live parameter vector (the model's constructor initialises it; tests perturb it) */
    final double[] parameters() {
        return parameters;
    }

    /** @return every block's {offset, length} in {@link #parameters()}, item table first */
    final Map<String, int[]> blocksByName() {
        return layout.blocksByName();
    }

    /**
     * Encodes histories with the trainer's own forward, without dropout: the user vector after each history's newest item.
     *
     * @param histories per row, item indices oldest first, 1 to {@link #maxLength()} each
     */
    final float[][] encode(int[][] histories) {
        return encode(SequenceWindows.forEncoding(histories, layout.maxLength()));
    }

    /** @return the user vector after each window's newest position, without dropout; padding items are whatever the batch holds */
    final float[][] encode(Batch batch) {
        float[][] users = new float[batch.rows()][layout.dims()];
        double[][] user = new double[ShardedGradient.SHARDS][layout.dims()];
        passes.get(0).transposed(parameters, transposed);
        ShardedGradient.forEach(batch.rows(), (s, r) -> {
            passes.get(s).encode(parameters, transposed, batch.inputs(), r * layout.maxLength(), batch.padding()[r], user[s]);
            for (int c = 0; c < user[s].length; c++) {
                users[r][c] = (float) user[s][c];
            }
        });
        return users;
    }

    /** @return the window length M */
    final int maxLength() {
        return layout.maxLength();
    }

    /** @return a copy of the weights as the encoder bundle lays them out, with the item table */
    final EncoderWeights weights() {
        return FlatBlocks.export(type(), fields(), layout.blocksByName(), parameters, layout.dims());
    }

    /** Sets every weight from an export, named as {@link #weights()} names them (tests: chosen weights in). */
    final void load(EncoderWeights weights) {
        FlatBlocks.load(weights, layout.blocksByName(), parameters, layout.dims());
    }
}
