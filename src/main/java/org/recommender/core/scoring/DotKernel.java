package org.recommender.core.scoring;

/**
 * Computes the inner products of one user vector with a batch of item vectors. Implementations differ only in
 * where the arithmetic runs; for the same inputs they agree to 1e-5 relative.
 */
public interface DotKernel extends BatchKernel {
    /**
     * Sets {@code out[i] = user · items[i]} for {@code i < count}.
     *
     * @param user the user vector, length d
     * @param items item vectors, each of length d; only the first {@code count} are read
     * @param count how many items to score
     * @param out receives the scores; at least {@code count} long
     */
    void dot(float[] user, float[][] items, int count, float[] out);
}
