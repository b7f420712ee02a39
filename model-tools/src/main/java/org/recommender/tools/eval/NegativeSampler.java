package org.recommender.tools.eval;

import org.recommender.tools.data.UserItemMatrix;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws the NCF protocol's negatives: for every user with a held-out item, {@code count} distinct items drawn
 * uniformly, seeded, from the items the user never interacted with anywhere (train, validation or test).
 */
public final class NegativeSampler {
    private final int count;
    private final long seed;

    /**
     * @param count negatives per user, at least 1 (the NCF protocol uses 99)
     * @param seed random seed
     */
    public NegativeSampler(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("--negatives must be at least 1 but was " + count);
        }
        this.count = count;
        this.seed = seed;
    }

    /**
     * @param all every interaction of every user
     * @param heldOut whose users get negatives (those with a held-out item)
     * @return per user, the sorted negatives; null for users without a held-out item
     */
    public int[][] sample(UserItemMatrix all, UserItemMatrix heldOut) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] negatives = new int[all.users()][];
        for (int u = 0; u < all.users(); u++) {
            if (heldOut.rowLength(u) == 0) {
                continue;
            }
            int available = all.items() - all.rowLength(u);
            int n = Math.min(count, available);
            int[] drawn = new int[n];
            int filled = 0;
            java.util.BitSet taken = new java.util.BitSet(all.items());
            while (filled < n) {
                int j = random.nextInt(all.items());
                if (taken.get(j) == false && all.contains(u, j) == false) {
                    taken.set(j);
                    drawn[filled++] = j;
                }
            }
            Arrays.sort(drawn);
            negatives[u] = drawn;
        }
        return negatives;
    }
}
