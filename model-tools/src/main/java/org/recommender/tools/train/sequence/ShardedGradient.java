package org.recommender.tools.train.sequence;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A batch's loss and gradient summed over its windows in a fixed order, whatever the number of cores: the windows
 * are cut into {@value #SHARDS} contiguous shards, each summed into its own buffer on its own thread, and the
 * buffers are then added in shard order. So a seed gives the same model bit for bit on any machine. Holds the shard
 * buffers between batches; one instance per network, used by one thread at a time.
 *
 * <p>Each shard runs its windows in order on one thread, so whatever a window's work keeps per shard (a
 * {@link SequencePass}'s scratch) is never used by two threads at once.
 */
final class ShardedGradient {
    /**
     * Gradient shards per batch: fixed (not the core count) so the reduction order, and with it the result, is the
     * same on every machine; four keeps two to eight cores busy.
     */
    static final int SHARDS = 4;

    /** One window's contribution. */
    @FunctionalInterface
    interface Window {
        /**
         * @param shard the shard running the window, 0 to {@link #SHARDS} − 1
         * @param row the window's row in the batch
         * @param grad the shard's gradient buffer, added into
         * @return the window's loss
         */
        double lossAndGradient(int shard, int row, double[] grad);
    }

    /** Work on one row that needs no gradient (encoding). */
    @FunctionalInterface
    interface Row {
        /**
         * @param shard the shard running the row, 0 to {@link #SHARDS} − 1
         * @param row the row in the batch
         */
        void run(int shard, int row);
    }

    private final double[][] shards = new double[SHARDS][];

    /** @param size the length of the parameter (and gradient) vector */
    ShardedGradient(int size) {
        for (int s = 0; s < SHARDS; s++) {
            shards[s] = new double[size];
        }
    }

    /**
     * @param rows windows in the batch
     * @param window computes one window's loss and adds its gradient
     * @param out receives the summed gradient (overwritten)
     * @return the summed loss
     */
    double sum(int rows, Window window, double[] out) {
        double[] losses = new double[SHARDS];
        IntStream.range(0, SHARDS).parallel().forEach(s -> {
            double[] g = shards[s];
            Arrays.fill(g, 0);
            double sum = 0;
            for (int r = from(s, rows); r < from(s + 1, rows); r++) {
                sum += window.lossAndGradient(s, r, g);
            }
            losses[s] = sum;
        });
        System.arraycopy(shards[0], 0, out, 0, out.length);
        double loss = losses[0];
        for (int s = 1; s < SHARDS; s++) {
            double[] g = shards[s];
            for (int i = 0; i < out.length; i++) {
                out[i] += g[i];
            }
            loss += losses[s];
        }
        return loss;
    }

    /**
     * Runs every row, each shard's rows in order on its own thread: the same shards as {@link #sum}.
     *
     * @param rows rows in the batch
     * @param row the work on one row
     */
    static void forEach(int rows, Row row) {
        IntStream.range(0, SHARDS).parallel().forEach(s -> {
            for (int r = from(s, rows); r < from(s + 1, rows); r++) {
                row.run(s, r);
            }
        });
    }

    /** @return the first row of shard {@code s} (of {@code rows}; shard {@link #SHARDS} gives {@code rows}) */
    private static int from(int s, int rows) {
        return s * rows / SHARDS;
    }
}
