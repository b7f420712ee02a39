package org.recommender.core.metrics;

/**
 * Top-K ranking metrics with binary relevance, for one ranked list. Offline evaluation (model-tools) and the
 * online/offline parity check both call these, so a metric means the same thing everywhere; averaging over users
 * is the caller's business.
 *
 * <p>A ranked list is given as {@code relevant[i]} = whether the item at 0-based rank {@code i} is relevant,
 * plus {@code relevantTotal}, the number of relevant items overall (including those ranked below the list's end
 * or not ranked at all). With a single held-out item at rank {@code r}, HR@K = 1 if {@code r < K} and NDCG@K =
 * 1 / log2(r + 2).
 */
public final class RankingMetrics {
    private static final double LN2 = Math.log(2);

    private RankingMetrics() {}

    /**
     * Hit rate: whether any relevant item is in the top {@code k}.
     *
     * @return 1 or 0
     */
    public static double hitRate(boolean[] relevant, int k) {
        return hitsInTop(relevant, k) > 0 ? 1 : 0;
    }

    /**
     * Recall: the share of all relevant items that made the top {@code k}.
     *
     * @param relevantTotal relevant items overall; at least the number of relevant entries in the list
     */
    public static double recall(boolean[] relevant, int relevantTotal, int k) {
        int hits = hitsInTop(relevant, k);
        checkTotal(relevant, relevantTotal);
        return relevantTotal == 0 ? 0 : (double) hits / relevantTotal;
    }

    /**
     * Precision: the share of the top {@code k} positions that hold a relevant item. Positions past the end of a
     * shorter list count as misses, so lists are comparable across users.
     */
    public static double precision(boolean[] relevant, int k) {
        return (double) hitsInTop(relevant, k) / k;
    }

    /**
     * Normalized discounted cumulative gain with binary gains: DCG = Σ 1/log2(rank + 2) over relevant items in the
     * top {@code k}, divided by the DCG of an ideal list that puts {@code min(k, relevantTotal)} relevant items first.
     *
     * @param relevantTotal relevant items overall; at least the number of relevant entries in the list
     * @return a value in [0, 1]; 0 when nothing is relevant
     */
    public static double ndcg(boolean[] relevant, int relevantTotal, int k) {
        checkK(k);
        checkTotal(relevant, relevantTotal);
        double dcg = 0;
        for (int i = 0; i < Math.min(k, relevant.length); i++) {
            if (relevant[i]) {
                dcg += discount(i);
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, relevantTotal); i++) {
            ideal += discount(i);
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    /**
     * Reciprocal rank: 1 / (1 + the rank of the first relevant item in the top {@code k}), 0 when none is there.
     */
    public static double reciprocalRank(boolean[] relevant, int k) {
        checkK(k);
        for (int i = 0; i < Math.min(k, relevant.length); i++) {
            if (relevant[i]) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    /**
     * Average precision at {@code k}: the sum of precision@(i+1) over the relevant positions i in the top {@code k},
     * divided by {@code min(k, relevantTotal)} so that a list with every relevant item on top scores 1 (the
     * normalisation RecBole uses for MAP@K).
     */
    public static double averagePrecision(boolean[] relevant, int relevantTotal, int k) {
        checkK(k);
        checkTotal(relevant, relevantTotal);
        double sum = 0;
        int hits = 0;
        for (int i = 0; i < Math.min(k, relevant.length); i++) {
            if (relevant[i]) {
                hits++;
                sum += (double) hits / (i + 1);
            }
        }
        int norm = Math.min(k, relevantTotal);
        return norm == 0 ? 0 : sum / norm;
    }

    /**
     * Area under the ROC curve of one ranked candidate list: the share of (relevant, non-relevant) pairs in which the
     * relevant item is ranked higher.
     *
     * @param relevantRanks the 0-based ranks of the relevant items among all {@code candidates}, ascending
     * @param candidates how many items were ranked, relevant ones included
     * @return a value in [0, 1]; 0.5 when there is no pair to compare
     */
    public static double auc(int[] relevantRanks, int candidates) {
        int negatives = candidates - relevantRanks.length;
        if (negatives <= 0 || relevantRanks.length == 0) {
            return 0.5;
        }
        double negativesAbove = 0;
        for (int j = 0; j < relevantRanks.length; j++) {
            if (relevantRanks[j] < j || relevantRanks[j] >= candidates || (j > 0 && relevantRanks[j] <= relevantRanks[j - 1])) {
                throw new IllegalArgumentException("relevant ranks must be distinct, ascending and below " + candidates);
            }
            negativesAbove += relevantRanks[j] - j; // the j relevant items ranked above are not negatives
        }
        return 1 - negativesAbove / ((double) negatives * relevantRanks.length);
    }

    /** @return the gain discount of a relevant item at 0-based {@code rank}: 1 / log2(rank + 2) */
    public static double discount(int rank) {
        return LN2 / Math.log(rank + 2);
    }

    private static int hitsInTop(boolean[] relevant, int k) {
        checkK(k);
        int hits = 0;
        for (int i = 0; i < Math.min(k, relevant.length); i++) {
            if (relevant[i]) {
                hits++;
            }
        }
        return hits;
    }

    private static void checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1 but was " + k);
        }
    }

    private static void checkTotal(boolean[] relevant, int relevantTotal) {
        int listed = hitsInTop(relevant, Math.max(1, relevant.length));
        if (relevantTotal < listed) {
            throw new IllegalArgumentException(
                "relevantTotal is " + relevantTotal + " but the list already holds " + listed + " relevant items"
            );
        }
    }
}
