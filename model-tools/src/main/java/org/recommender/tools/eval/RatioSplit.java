package org.recommender.tools.eval;

import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.data.UserSequences;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits each user's distinct items by ratio into train / validation / test, either in a seeded random order
 * (RecBole's {@code RS} with {@code RO}) or by time, latest items last ({@code TO}). Counts follow RecBole:
 * {@code ⌊ratio·n⌋} validation and test items, at least one each while the user keeps more than one training item,
 * and the rest for training. A repeated (user, item) pair counts once, with its largest value and latest time.
 */
public final class RatioSplit {
    private final double validationRatio;
    private final double testRatio;
    private final boolean temporal;
    private final long seed;

    /**
     * @param validationRatio share of each user's items held out for validation, in [0, 1)
     * @param testRatio share held out for testing, in (0, 1)
     * @param temporal order by time (latest items to test) instead of at random
     * @param seed random seed of the random order
     */
    public RatioSplit(double validationRatio, double testRatio, boolean temporal, long seed) {
        if ((validationRatio >= 0 && testRatio > 0 && validationRatio + testRatio < 1) == false) {
            throw new IllegalArgumentException("--split ratios must leave a training share: validation " + validationRatio + ", test " + testRatio);
        }
        this.validationRatio = validationRatio;
        this.testRatio = testRatio;
        this.temporal = temporal;
        this.seed = seed;
    }

    /** Splits {@code log}. */
    public Split apply(Interactions log) {
        int users = log.users().size();
        int items = log.items().size();
        List<List<long[]>> rows = UserHistories.of(log); // per user: {item, value bits, time}, distinct items
        SplittableRandom random = new SplittableRandom(seed);
        Builder train = new Builder();
        Builder validation = new Builder();
        Builder test = new Builder();
        for (int u = 0; u < users; u++) {
            List<long[]> h = new ArrayList<>(rows.get(u));
            if (temporal) {
                h.sort((a, b) -> Long.compare(a[2], b[2]));
            } else {
                for (int i = h.size() - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    long[] t = h.get(i);
                    h.set(i, h.get(j));
                    h.set(j, t);
                }
            }
            int[] counts = counts(h.size());
            for (int k = 0; k < h.size(); k++) {
                Builder target = k < counts[0] ? train : k < counts[0] + counts[1] ? validation : test;
                target.add(u, h.get(k));
            }
        }
        if (temporal) {
            // each part was filled in time order per user: it carries that order for sequence models
            return new Split(train.buildOrdered(users, items), validation.buildOrdered(users, items), test.buildOrdered(users, items));
        }
        return new Split(train.build(users, items), validation.build(users, items), test.build(users, items));
    }

    /** RecBole's {@code _calcu_split_ids}: floor the held-out counts, then give each small share one item. */
    int[] counts(int n) {
        double[] ratios = { 1 - validationRatio - testRatio, validationRatio, testRatio };
        int[] cnt = new int[3];
        cnt[1] = (int) (ratios[1] * n);
        cnt[2] = (int) (ratios[2] * n);
        cnt[0] = n - cnt[1] - cnt[2];
        for (int i = 1; i < 3; i++) {
            if (cnt[0] <= 1) {
                break;
            }
            int at = 3 - i;
            double share = ratios[at] * n;
            if (share > 0 && share < 1) {
                cnt[at]++;
                cnt[0]--;
            }
        }
        return cnt;
    }

    /** Collects triples for one part of the split. */
    static final class Builder {
        private int[] u = new int[16];
        private int[] i = new int[16];
        private float[] v = new float[16];
        private int size;

        void add(int user, long[] row) {
            if (size == u.length) {
                u = Arrays.copyOf(u, size * 2);
                i = Arrays.copyOf(i, size * 2);
                v = Arrays.copyOf(v, size * 2);
            }
            u[size] = user;
            i[size] = (int) row[0];
            v[size] = Float.intBitsToFloat((int) row[1]);
            size++;
        }

        UserItemMatrix build(int users, int items) {
            return UserItemMatrix.fromTriples(users, items, Arrays.copyOf(u, size), Arrays.copyOf(i, size), Arrays.copyOf(v, size));
        }

        /** @return the matrix carrying, per user, the order in which its items were added (call after adding in time order) */
        UserItemMatrix buildOrdered(int users, int items) {
            int[] lengths = new int[users];
            for (int p = 0; p < size; p++) {
                lengths[u[p]]++;
            }
            int[][] rows = new int[users][];
            for (int user = 0; user < users; user++) {
                rows[user] = new int[lengths[user]];
                lengths[user] = 0;
            }
            for (int p = 0; p < size; p++) {
                rows[u[p]][lengths[u[p]]++] = i[p];
            }
            return build(users, items).withSequences(UserSequences.wrap(rows));
        }
    }
}
