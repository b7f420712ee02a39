package org.recommender.core.scoring;

/** A kernel that scores a batch of items for one user, or for many users in one pass. */
public interface NetworkBatchKernel {
    /**
     * Scores {@code items[0..count)} into {@code out[0..count)}.
     *
     * @param scratch this thread's scratch, already {@link NetworkScratch#prepare prepared} for the user
     */
    void score(NetworkScratch scratch, float[][] items, int count, float[] out);

    /**
     * Scores every item for every user: {@code out[u][i]}.
     *
     * @param folds one scratch per user, each prepared for its user
     */
    void score(NetworkScratch[] folds, float[][] items, int count, float[][] out);
}
