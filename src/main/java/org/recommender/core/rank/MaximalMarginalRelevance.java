package org.recommender.core.rank;

import org.recommender.core.vector.VectorMath;
import org.recommender.core.vector.VectorSimilarity;

import java.util.Arrays;

/**
 * Maximal marginal relevance (Carbonell and Goldstein, 1998): re-ranks a pool of scored items so that the list
 * stays relevant but does not repeat itself. Greedily, the next item is the one maximising
 * <pre>
 *   λ · rel(i) − (1 − λ) · max_{j selected} cos(v_i, v_j)
 * </pre>
 * where {@code rel} is the item's score min-max normalised over the pool to [0, 1] (model scores have any scale;
 * cosine similarity lives in [−1, 1], so the two terms must be comparable) and {@code v} are the item embeddings.
 * λ = 1 keeps the relevance order; λ = 0 picks the most dissimilar items after the first. Ties go to the item
 * that came first in the pool. A score that is not finite gets the top relevance (+infinity) or the bottom one
 * (-infinity, NaN), so it neither makes every relevance NaN nor stops the selection. Costs O(k · pool · dims).
 */
public final class MaximalMarginalRelevance {
    private final double lambda;

    /** @param lambda the weight of relevance against novelty, in [0, 1] */
    public MaximalMarginalRelevance(double lambda) {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("[lambda] must be between 0 and 1 but was " + lambda);
        }
        this.lambda = lambda;
    }

    /** The chosen items, in order, with the parts of each MMR value (for explanations). */
    public record Selection(int[] order, double[] relevance, double[] maxSimilarity, double[] value) {}

    /**
     * @param scores the pool's relevance scores
     * @param vectors the pool's item embeddings, same order and length as {@code scores}
     * @param k how many items to choose; at most the pool size is returned
     * @return positions into the pool, best first
     */
    public Selection select(float[] scores, float[][] vectors, int k) {
        int n = scores.length;
        if (vectors.length != n) {
            throw new IllegalArgumentException("pool has " + n + " scores but " + vectors.length + " vectors");
        }
        int size = Math.min(k, n);
        double[] relevance = normalise(scores);
        float[] norms = new float[n];
        for (int i = 0; i < n; i++) {
            norms[i] = VectorMath.dot(vectors[i], vectors[i]); // squared: VectorSimilarity.cosine takes them so
        }
        double[] maxSim = new double[n];
        Arrays.fill(maxSim, Double.NEGATIVE_INFINITY);
        boolean[] taken = new boolean[n];
        int[] order = new int[size];
        double[] chosenRelevance = new double[size];
        double[] chosenSim = new double[size];
        double[] chosenValue = new double[size];
        for (int r = 0; r < size; r++) {
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (taken[i]) {
                    continue;
                }
                double value = r == 0 ? lambda * relevance[i] : lambda * relevance[i] - (1 - lambda) * maxSim[i];
                if (best < 0 || value > bestValue) { // the first untaken item stands until a better one
                    bestValue = value;
                    best = i;
                }
            }
            taken[best] = true;
            order[r] = best;
            chosenRelevance[r] = relevance[best];
            chosenSim[r] = r == 0 ? 0 : maxSim[best];
            chosenValue[r] = bestValue;
            for (int i = 0; i < n; i++) {
                if (!taken[i]) {
                    maxSim[i] = Math.max(maxSim[i], cosine(vectors[i], norms[i], vectors[best], norms[best]));
                }
            }
        }
        return new Selection(order, chosenRelevance, chosenSim, chosenValue);
    }

    /** A zero vector resembles nothing: cosine 0. */
    private static double cosine(float[] a, float squaredNormA, float[] b, float squaredNormB) {
        return VectorSimilarity.cosine(VectorMath.dot(a, b), squaredNormA, squaredNormB);
    }

    /**
     * Min-max over the finite scores; +infinity takes the top relevance (1) and -infinity or NaN the bottom (0), so one
     * such score neither makes every relevance NaN nor squashes the finite scores' differences.
     */
    private static double[] normalise(float[] scores) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            if (Float.isFinite(s)) {
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
        }
        double[] out = new double[scores.length];
        double range = max - min;
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (Float.isFinite(s)) {
                out[i] = range > 0 ? (s - min) / range : 1.0;
            } else {
                out[i] = s == Float.POSITIVE_INFINITY ? 1.0 : 0.0;
            }
        }
        return out;
    }
}
