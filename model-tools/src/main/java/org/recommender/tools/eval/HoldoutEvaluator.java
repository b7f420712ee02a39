package org.recommender.tools.eval;

import org.recommender.core.metrics.RankingMetrics;
import org.recommender.tools.data.UserItemMatrix;

import java.util.Arrays;

/**
 * Full-ranking evaluation of a {@link HoldoutSplit}: for each user with a held-out item, every item the user did not
 * interact with in training is a candidate, and the held-out item's rank among them gives HR@K and NDCG@K
 * ({@link RankingMetrics}). Equal scores are ordered by item index, i.e. as a stable sort would order them, so a
 * constant scorer does not get every hit for free.
 */
public final class HoldoutEvaluator {
    private final HoldoutSplit split;
    private final int k;

    /**
     * @param split training data and held-out items
     * @param k the cut-off, at least 1
     */
    public HoldoutEvaluator(HoldoutSplit split, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1 but was " + k);
        }
        this.split = split;
        this.k = k;
    }

    /** @return mean HR@K and NDCG@K of {@code scorer} over the users with a held-out item */
    public EvaluationResult evaluate(ItemScorer scorer) {
        UserItemMatrix train = split.train();
        float[] scores = new float[train.items()];
        boolean[] excluded = new boolean[train.items()];
        boolean[] relevant = new boolean[k];
        double hits = 0;
        double ndcg = 0;
        int evaluated = 0;
        for (int u = 0; u < train.users(); u++) {
            int test = split.testItem()[u];
            if (test == HoldoutSplit.NONE) {
                continue;
            }
            scorer.scoreAll(u, scores);
            int[] seen = train.itemsOf(u);
            for (int i : seen) {
                excluded[i] = true;
            }
            int rank = rankOf(test, scores, excluded);
            for (int i : seen) {
                excluded[i] = false;
            }
            Arrays.fill(relevant, false);
            if (rank < k) {
                relevant[rank] = true;
            }
            hits += RankingMetrics.hitRate(relevant, k);
            ndcg += RankingMetrics.ndcg(relevant, 1, k);
            evaluated++;
        }
        return new EvaluationResult(scorer.name(), k, evaluated, evaluated == 0 ? 0 : hits / evaluated, evaluated == 0 ? 0 : ndcg / evaluated);
    }

    /** @return how many candidates rank above {@code test}; stops counting at k, since only ranks below k matter */
    private int rankOf(int test, float[] scores, boolean[] excluded) {
        float s = scores[test];
        int rank = 0;
        for (int j = 0; j < scores.length && rank < k; j++) {
            if (j != test && excluded[j] == false && (scores[j] > s || (scores[j] == s && j < test))) {
                rank++;
            }
        }
        return rank;
    }
}
