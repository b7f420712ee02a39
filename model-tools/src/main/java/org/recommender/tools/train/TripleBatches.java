package org.recommender.tools.train;

import org.recommender.tools.data.UserItemMatrix;

import java.util.SplittableRandom;

/**
 * One epoch of BPR triples in minibatches, as RecBole draws them: every training pair once, in an order shuffled by
 * {@code random}, each with one negative drawn uniformly from the items its user has not interacted with (users who
 * have interacted with every item are skipped: there is no negative). What BPR's and LightGCN's Adam epochs share.
 */
public final class TripleBatches {
    /** A batch's triples, valid during {@link Step#apply}. */
    public static final class Batch {
        private final int[] users;
        private final int[] positives;
        private final int[] negatives;
        private int size;

        private Batch(int capacity) {
            users = new int[capacity];
            positives = new int[capacity];
            negatives = new int[capacity];
        }

        public int size() {
            return size;
        }

        public int user(int t) {
            return users[t];
        }

        public int positive(int t) {
            return positives[t];
        }

        public int negative(int t) {
            return negatives[t];
        }
    }

    /** What a trainer does with one batch. */
    @FunctionalInterface
    public interface Step {
        /** @return the sum of the batch's per-triple losses */
        double apply(Batch batch);
    }

    private TripleBatches() {}

    /** @return the mean per-triple loss over the epoch */
    public static double epoch(UserItemMatrix data, int batchSize, SplittableRandom random, TrainingControl control, Step step) {
        int pairs = data.nonZeros();
        int[] order = new int[pairs];
        for (int e = 0; e < pairs; e++) {
            order[e] = e;
        }
        for (int e = pairs - 1; e > 0; e--) {
            int k = random.nextInt(e + 1);
            int t = order[e];
            order[e] = order[k];
            order[k] = t;
        }
        Batch batch = new Batch(Math.min(batchSize, Math.max(pairs, 1)));
        double lossSum = 0;
        long counted = 0;
        for (int start = 0; start < pairs; start += batchSize) {
            int end = Math.min(pairs, start + batchSize);
            batch.size = 0;
            for (int b = start; b < end; b++) {
                int entry = order[b];
                int u = data.userOfEntry(entry);
                if (data.rowLength(u) == data.items()) {
                    continue;
                }
                int j;
                do {
                    j = random.nextInt(data.items());
                } while (data.contains(u, j));
                batch.users[batch.size] = u;
                batch.positives[batch.size] = data.itemOfEntry(entry);
                batch.negatives[batch.size] = j;
                batch.size++;
            }
            if (batch.size > 0) {
                lossSum += step.apply(batch);
                counted += batch.size;
            }
            control.steps(end - start);
        }
        return counted == 0 ? 0 : lossSum / counted;
    }
}
