package org.recommender.tools.train.sequence;

import org.recommender.tools.data.UserSequences;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Cuts each user's training sequence into next-item windows of at most {@code M} predictions, so that every item
 * after a user's first is a target exactly once per epoch: the window ending at the newest item, then the one before
 * it, and so on (SASRec trains on the last window only; on ML-100K, where users average ~100 items and M is 50, that
 * would drop half the data). A window's inputs are the M items before each target, left-padded.
 */
public final class SequenceWindows {
    private final UserSequences sequences;
    private final int length;
    /** {user, end}: the window predicts items {@code max(1, end − M) .. end − 1} of the user's sequence. */
    private final long[] windows;

    /**
     * @param sequences each user's training items, oldest first
     * @param length M, the window length
     */
    public SequenceWindows(UserSequences sequences, int length) {
        this.sequences = sequences;
        this.length = length;
        List<Long> all = new ArrayList<>();
        for (int u = 0; u < sequences.users(); u++) {
            for (int end = sequences.length(u); end >= 2; end -= length) {
                all.add(((long) u << 32) | end);
            }
        }
        windows = all.stream().mapToLong(Long::longValue).toArray();
    }

    /** @return how many windows an epoch trains on */
    public int size() {
        return windows.length;
    }

    /** @return the number of target positions in an epoch (items after each user's first) */
    public long targets() {
        long n = 0;
        for (int u = 0; u < sequences.users(); u++) {
            n += Math.max(0, sequences.length(u) - 1);
        }
        return n;
    }

    /** @return the windows in a seeded random order, as indices for {@link #batch} */
    public int[] shuffled(SplittableRandom random) {
        int[] order = new int[windows.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * @param order window indices
     * @param from first index into {@code order}
     * @param rows how many windows
     * @return the batch of those windows
     */
    public Batch batch(int[] order, int from, int rows) {
        int[] inputs = new int[rows * length];
        int[] targets = new int[rows * length];
        float[] weights = new float[rows * length];
        int[] padding = new int[rows];
        int real = 0;
        for (int r = 0; r < rows; r++) {
            long w = windows[order[from + r]];
            int[] seq = sequences.of((int) (w >>> 32));
            int end = (int) w;
            int first = Math.max(1, end - length); // first target
            int n = end - first; // predictions in this window
            padding[r] = length - n;
            for (int k = 0; k < n; k++) {
                int at = r * length + padding[r] + k;
                inputs[at] = seq[first + k - 1];
                targets[at] = seq[first + k];
                weights[at] = 1;
            }
            real += n;
        }
        float share = real == 0 ? 0 : 1f / real;
        for (int p = 0; p < weights.length; p++) {
            weights[p] *= share;
        }
        return new Batch(rows, length, inputs, padding, targets, weights);
    }

    /**
     * Left-pads histories for encoding: each history (at most M items, oldest first) ends at position M − 1.
     *
     * @param histories per row, item indices oldest first, each 1 to M long
     * @param length M
     * @return a batch whose weights and targets are unused (zero)
     */
    public static Batch forEncoding(int[][] histories, int length) {
        int rows = histories.length;
        int[] inputs = new int[rows * length];
        int[] padding = new int[rows];
        for (int r = 0; r < rows; r++) {
            int n = histories[r].length;
            if (n < 1 || n > length) {
                throw new IllegalArgumentException("history " + r + " has " + n + " items; it must have 1 to " + length);
            }
            padding[r] = length - n;
            System.arraycopy(histories[r], 0, inputs, r * length + padding[r], n);
        }
        return new Batch(rows, length, inputs, padding, new int[rows * length], new float[rows * length]);
    }

    /** @return a copy of the window table, for tests */
    long[] windows() {
        return Arrays.copyOf(windows, windows.length);
    }
}
