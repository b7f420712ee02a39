package org.recommender.core.vector;

import java.util.List;

/**
 * Builds a user vector from the vectors of items the user interacted with, for users without a stored vector
 * (cold start, anonymous sessions). The mean keeps the user in the item space, so dot products stay comparable.
 */
public final class HistoryEncoder {
    private HistoryEncoder() {}

    /**
     * @param items item vectors, all of one dimension; at least one
     * @return their element-wise mean
     * @throws InvalidEmbeddingException when the vectors disagree in dimension
     */
    public static float[] mean(List<float[]> items) {
        return mean("history", items);
    }

    /**
     * The element-wise mean, summed in double and rounded to float once per element, so the order of the items
     * does not change the result beyond that one rounding.
     *
     * @param name what the items are, for messages ({@code history}, {@code positive})
     * @param items item vectors, all of one dimension; at least one
     * @return their element-wise mean
     * @throws InvalidEmbeddingException naming {@code name} when there is no vector or the vectors disagree in
     *     dimension
     */
    public static float[] mean(String name, List<float[]> items) {
        if (items.isEmpty()) {
            throw new InvalidEmbeddingException("[" + name + "] needs at least one item vector");
        }
        int dims = items.get(0).length;
        double[] sum = new double[dims];
        for (float[] item : items) {
            if (item.length != dims) {
                throw new InvalidEmbeddingException("[" + name + "] item vectors have " + item.length + " and " + dims + " dimensions");
            }
            for (int i = 0; i < dims; i++) {
                sum[i] += item[i];
            }
        }
        float[] mean = new float[dims];
        for (int i = 0; i < dims; i++) {
            mean[i] = (float) (sum[i] / items.size());
        }
        return mean;
    }
}
