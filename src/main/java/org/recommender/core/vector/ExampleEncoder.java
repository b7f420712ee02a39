package org.recommender.core.vector;

import java.util.List;

/**
 * Builds a user vector from example items: items the user is like ({@code positive}) and, optionally, items the
 * user is not like ({@code negative}). This is Qdrant's {@code average_vector} recommendation strategy, so a query
 * written for Qdrant finds the same user here.
 *
 * <p>{@code average}: with P the positive vectors and N the negative ones,
 * <pre>
 *   u = 2·mean(P) − mean(N)   when N is not empty
 *   u = mean(P)               otherwise
 * </pre>
 * i.e. u = mean(P) + (mean(P) − mean(N)): the positives' centre moved away from the negatives' by as much as the two
 * centres lie apart. Means are {@link HistoryEncoder#mean}'s (summed in double, rounded to float once); the
 * combination is one float operation per element ({@code 2·p} is exact), so u is within a few float ulps of the
 * same formula in double precision.
 *
 * <p>Bound: with every input element at most {@link EmbeddingValidator#MAX_MAGNITUDE} in magnitude, every element
 * of u is at most three times that, which keeps any dot product with a bounded item vector finite (below 1.3e36 at
 * 4,096 dimensions).
 */
public final class ExampleEncoder {
    private ExampleEncoder() {}

    /**
     * @param positive vectors of the items the user is like; at least one
     * @param negative vectors of the items the user is not like; may be empty
     * @return {@code 2·mean(positive) − mean(negative)}, or {@code mean(positive)} when {@code negative} is empty
     * @throws InvalidEmbeddingException when {@code positive} is empty or the vectors disagree in dimension, naming
     *     {@code positive} or {@code negative}
     */
    public static float[] average(List<float[]> positive, List<float[]> negative) {
        float[] p = HistoryEncoder.mean("positive", positive);
        if (negative.isEmpty()) {
            return p;
        }
        float[] n = HistoryEncoder.mean("negative", negative);
        if (n.length != p.length) {
            throw new InvalidEmbeddingException("[negative] item vectors have " + n.length + " dimensions but [positive] ones have " + p.length);
        }
        float[] u = new float[p.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = 2f * p[i] - n[i];
        }
        return u;
    }
}
