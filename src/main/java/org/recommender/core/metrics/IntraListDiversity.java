package org.recommender.core.metrics;

/**
 * Intra-list diversity (Ziegler et al., WWW 2005): the mean pairwise distance between the items of one list, under
 * a distance the caller chooses. Offline evaluation uses a model-independent distance (see the evaluator), so the
 * value compares models fairly.
 */
public final class IntraListDiversity {
    /** A distance between two items, in [0, 1]. */
    @FunctionalInterface
    public interface ItemDistance {
        /** @return the distance between items {@code a} and {@code b} */
        double between(int a, int b);
    }

    private IntraListDiversity() {}

    /** @return the mean distance over the pairs among the first {@code k} items; 0 for lists shorter than 2 */
    public static double of(int[] list, int k, ItemDistance distance) {
        int n = Math.min(k, list.length);
        if (n < 2) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                sum += distance.between(list[i], list[j]);
            }
        }
        return sum / ((double) n * (n - 1) / 2);
    }
}
