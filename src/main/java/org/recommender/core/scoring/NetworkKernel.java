package org.recommender.core.scoring;

/**
 * Evaluates one {@link Network} for a batch of items, for one user or for many in one pass. Every implementation
 * computes the same function from the same user fold ({@link NetworkScratch}); they differ in where the arithmetic
 * runs and in the order of its additions. Implementations are thread-safe and keep their per-thread buffers
 * themselves; the caller owns the scratch.
 */
public interface NetworkKernel extends BatchKernel {
    /**
     * Scores {@code items[0..count)} into {@code out[0..count)}; nothing else of {@code out} is written.
     *
     * @param scratch this thread's scratch, already {@link NetworkScratch#prepare prepared} for the user
     * @param items item vectors, each {@code itemDims} long
     * @param count how many items, at least 1
     * @param out receives the scores
     */
    void score(NetworkScratch scratch, float[][] items, int count, float[] out);

    /**
     * Scores every item for every user: {@code out[u][i]} for {@code u < users}, {@code i < count}. By default user
     * by user, which is all the JVM kernels can do (their work per user shares nothing); the native kernels override
     * it to run every user × item pair in one pass.
     *
     * @param folds at least {@code users} scratches, the first {@code users} each prepared for its user (a pooled
     *     array may be longer; the rest is not read)
     * @param users how many users, at least 1
     * @param items item vectors, each {@code itemDims} long
     * @param count how many items, at least 1
     * @param out one row per user, each at least {@code count} long
     */
    default void score(NetworkScratch[] folds, int users, float[][] items, int count, float[][] out) {
        for (int u = 0; u < users; u++) {
            score(folds[u], items, count, out[u]);
        }
    }
}
