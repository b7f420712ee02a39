package org.recommender.tools.eval;

import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.UserItemMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * k-fold cross-validation over rating rows, as Surprise's {@code KFold(shuffle=True)}: the rows are shuffled once
 * (seeded) and cut into k nearly equal folds; fold f is the test set and the other folds train. There is no
 * validation part: rating models train for a fixed number of epochs. The same cut divides a training matrix into the
 * inner folds of nested tuning ({@link #apply(UserItemMatrix, int)}).
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

    /**
     * @return the split of the log's rows whose test set is fold {@code fold} (0-based): one row per (user, item) pair
     *     ({@link #onePerPair}), so a pair the file repeats is never in a training fold and a test fold at once
     */
    public Split apply(Interactions log, int fold) {
        return apply(log, onePerPair(log), fold);
    }

    /** @return every fold's split of the log's rows ({@link #apply(Interactions, int)}), the pairs found once for all k */
    public List<Split> applyAll(Interactions log) {
        int[] rows = onePerPair(log);
        List<Split> splits = new ArrayList<>(folds);
        for (int f = 0; f < folds; f++) {
            splits.add(apply(log, rows, f));
        }
        return splits;
    }

    private Split apply(Interactions log, int[] rows, int fold) {
        return cut(rows.length, fold, log.users().size(), log.items().size(), (r, to) -> {
            int row = rows[r];
            to.add(log.user(row), new long[] { log.item(row), Float.floatToRawIntBits(log.rating(row)), log.timestamp(row) });
        });
    }

    /**
     * @return the rows that take part, in line order: of each (user, item) pair its latest row (by timestamp, then by
     *     line), as repeated pairs count once everywhere else. A file without repeats keeps every row, so its folds are
     *     the same as when every row was cut.
     */
    static int[] onePerPair(Interactions log) {
        int n = log.size();
        int users = log.users().size();
        int[] start = new int[users + 1];
        for (int r = 0; r < n; r++) {
            start[log.user(r) + 1]++;
        }
        for (int u = 0; u < users; u++) {
            start[u + 1] += start[u];
        }
        int[] byUser = new int[n]; // each user's rows, in line order
        int[] fill = Arrays.copyOf(start, users);
        for (int r = 0; r < n; r++) {
            byUser[fill[log.user(r)]++] = r;
        }
        boolean[] keep = new boolean[n];
        int kept = 0;
        for (int u = 0; u < users; u++) {
            int from = start[u];
            long[] keys = new long[start[u + 1] - from]; // item, then the row's place among the user's rows
            for (int i = 0; i < keys.length; i++) {
                keys[i] = ((long) log.item(byUser[from + i]) << 32) | i;
            }
            Arrays.sort(keys);
            for (int a = 0; a < keys.length;) {
                int item = (int) (keys[a] >>> 32);
                int latest = byUser[from + (int) keys[a]];
                int b = a + 1;
                for (; b < keys.length && (int) (keys[b] >>> 32) == item; b++) {
                    int row = byUser[from + (int) keys[b]];
                    if (log.timestamp(row) >= log.timestamp(latest)) { // a later line wins a tie
                        latest = row;
                    }
                }
                keep[latest] = true;
                kept++;
                a = b;
            }
        }
        int[] rows = new int[kept];
        for (int r = 0, k = 0; r < n; r++) {
            if (keep[r]) {
                rows[k++] = r;
            }
        }
        return rows;
    }

    /**
     * @param data ratings to divide, e.g. an outer fold's training part
     * @return the split of {@code data}'s entries whose test set is fold {@code fold} (0-based), the other folds
     *     training; the same users and items as {@code data}
     */
    public Split apply(UserItemMatrix data, int fold) {
        return cut(data.nonZeros(), fold, data.users(), data.items(),
            (e, to) -> to.add(data.userOfEntry(e), new long[] { data.itemOfEntry(e), Float.floatToRawIntBits(data.valueOfEntry(e)), 0 }));
    }

    /** Adds row {@code row} of the divided data to {@code to}. */
    @FunctionalInterface
    private interface Rows {
        void add(int row, RatioSplit.Builder to);
    }

    /** Shuffles rows 0..n-1 with the seed and puts the {@code fold}-th k-th of the shuffled order in the test part. */
    private Split cut(int n, int fold, int users, int items, Rows rows) {
        if (fold < 0 || fold >= folds) {
            throw new IllegalArgumentException("fold " + fold + " is not in [0, " + folds + ")");
        }
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
            rows.add(order[k], k >= from && k < to ? test : train);
        }
        UserItemMatrix empty = UserItemMatrix.fromPairs(users, items, new int[0], new int[0]);
        return new Split(train.build(users, items), empty, test.build(users, items));
    }
}
