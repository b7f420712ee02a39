package org.recommender.core.rank;

/**
 * The best {@code k} items by score, in {@link BoundedTopK}'s one order (highest score first, equal scores by lower
 * index first, NaN last), so every caller (offline evaluation, parity checks, the plugin's exact scan) breaks ties
 * the same way. A bounded heap keeps the work at n log k, which
 * matters when k is a candidate set of thousands over a catalog of millions.
 */
public final class TopK {
    private TopK() {}

    /**
     * @param scores a score per item index
     * @param k how many
     * @return the indices of the best {@code min(k, scores.length)} items, best first
     */
    public static int[] of(float[] scores, int k) {
        BoundedTopK heap = new BoundedTopK(Math.min(k, scores.length));
        for (int i = 0; i < scores.length; i++) {
            heap.offer(i, scores[i]);
        }
        return heap.drain();
    }

    /**
     * @param pool the item indices to choose from
     * @param scores a score per item index
     * @param k how many
     * @return the best {@code min(k, pool.length)} of {@code pool}, best first
     */
    public static int[] of(int[] pool, float[] scores, int k) {
        BoundedTopK heap = new BoundedTopK(Math.min(k, pool.length));
        for (int i : pool) {
            heap.offer(i, scores[i]);
        }
        return heap.drain();
    }

    /** @return whether item {@code a} ranks above item {@code b} ({@link BoundedTopK#better}) */
    public static boolean better(int a, int b, float[] scores) {
        return BoundedTopK.better(a, scores[a], b, scores[b]);
    }
}
