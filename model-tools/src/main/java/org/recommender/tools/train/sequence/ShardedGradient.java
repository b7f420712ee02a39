package org.recommender.tools.train.sequence;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A batch's loss and gradient summed over its windows in a fixed order, whatever the number of cores: the windows
 * are cut into {@value #SHARDS} contiguous shards, each summed into its own buffer on its own thread, and the
 * buffers are then added in shard order. So a seed gives the same model bit for bit on any machine. Holds the shard
 * buffers between batches; one instance per network, used by one thread at a time.
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
         * @param row the window's row in the batch
         * @param grad the shard's gradient buffer, added into
         * @return the window's loss
         */
        double lossAndGradient(int row, double[] grad);
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
            for (int r = s * rows / SHARDS; r < (s + 1) * rows / SHARDS; r++) {
                sum += window.lossAndGradient(r, g);
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
}
