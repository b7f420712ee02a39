package org.recommender.tools.eval;

import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.UserItemMatrix;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-fold cross-validation over rating rows, as Surprise's {@code KFold(shuffle=True)}: the rows are shuffled once
 * (seeded) and cut into k nearly equal folds; fold f is the test set and the other folds train. There is no
 * validation part: rating models train for a fixed number of epochs.
 */
public final class KFoldSplit {
    private final int folds;
    private final long seed;

    /**
     * @param folds k, at least 2
     * @param seed shuffle seed
     */
    public KFoldSplit(int folds, long seed) {
        if (folds < 2) {
            throw new IllegalArgumentException("--folds must be at least 2 but was " + folds);
        }
        this.folds = folds;
        this.seed = seed;
    }

    /** @return the number of folds */
    public int folds() {
        return folds;
    }

    /** @return the split whose test set is fold {@code fold} (0-based) */
    public Split apply(Interactions log, int fold) {
        int n = log.size();
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int from = (int) ((long) n * fold / folds);
        int to = (int) ((long) n * (fold + 1) / folds);
        RatioSplit.Builder train = new RatioSplit.Builder();
        RatioSplit.Builder test = new RatioSplit.Builder();
        for (int k = 0; k < n; k++) {
            int r = order[k];
            long[] row = { log.item(r), Float.floatToRawIntBits(log.rating(r)), log.timestamp(r) };
            (k >= from && k < to ? test : train).add(log.user(r), row);
        }
        int users = log.users().size();
        int items = log.items().size();
        UserItemMatrix empty = UserItemMatrix.fromPairs(users, items, new int[0], new int[0]);
        return new Split(train.build(users, items), empty, test.build(users, items));
    }
}
