package org.recommender.core.model;

/**
 * Keeps scores finite. Embedding elements are bounded ({@code EmbeddingValidator.MAX_MAGNITUDE}), so dot and cosine
 * scores always are; a neural network's are not — finite but large weights can carry a ReLU chain past float's range
 * to infinity, and infinity minus infinity to NaN, which would rank first or fail a whole search. Every neural score,
 * and every score a caller combines from model and query scores, passes through {@link #of}.
 */
public final class FiniteScores {
    /** The largest magnitude a score may have; far above any real score, far below float's largest value (3.4e38). */
    public static final float MAX = 1e30f;

    private FiniteScores() {}

    /** @return {@code score} clamped to [-{@link #MAX}, {@link #MAX}], and NaN as -{@link #MAX}: ranked last */
    public static float of(float score) {
        if (score != score) {
            return -MAX;
        }
        return Math.max(-MAX, Math.min(MAX, score));
    }

    /** Applies {@link #of} to the first {@code count} scores of {@code scores}, in place. */
    public static void of(float[] scores, int count) {
        for (int i = 0; i < count; i++) {
            scores[i] = of(scores[i]);
        }
    }
}
