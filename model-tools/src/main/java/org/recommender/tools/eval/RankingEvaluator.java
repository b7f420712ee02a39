package org.recommender.tools.eval;

import org.recommender.core.metrics.CatalogCoverage;
import org.recommender.core.metrics.IntraListDiversity;
import org.recommender.core.metrics.Novelty;
import org.recommender.core.metrics.RankingMetrics;
import org.recommender.core.rank.TopK;
import org.recommender.tools.data.UserItemMatrix;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Top-K evaluation of an {@link ItemScorer} against held-out items, per user, averaged over users that have any.
 * Candidates are either every item the user has not seen (full ranking) or a given sample per user — the held-out
 * item plus its sampled negatives (the NCF protocol). Equal scores are ordered by item index, as a stable sort
 * would order them, so a constant scorer gets no hit for free.
 *
 * <p>Per cut-off K: HR, NDCG, Recall (hits / relevant items, as RecBole), Precision, MRR and MAP; per user: AUC; over
 * the catalogue: coverage, novelty (self-information of recommended items under training popularity) and intra-list
 * diversity (Jaccard distance between items' training audiences, so it does not depend on the model's own vectors).
 * The core's metric functions compute each value, the same code the plugin's parity check uses.
 */
public final class RankingEvaluator {
    private static final int NEGATIVE_SAMPLES_PER_USER = 20;
    private static final int HISTOGRAM_BINS = 40;

    private final UserItemMatrix seen;
    private final UserItemMatrix heldOut;
    private final int[][] sampledCandidates;
    private final int[] ks;
    private final boolean beyondAccuracy;
    private final Novelty novelty;
    private final UserItemMatrix audiences;

    /**
     * @param train the training interactions: popularity for novelty and audiences for diversity
     * @param seen what each user has seen and must not be recommended (train, or train + validation)
     * @param heldOut the relevant items of each user
     * @param sampledCandidates per user, the negatives to rank the held-out items against (null: full ranking;
     *     a null row: the user is not evaluated)
     * @param ks the cut-offs, each at least 1
     * @param beyondAccuracy whether to compute coverage, novelty and diversity (skipped for per-epoch validation)
     */
    public RankingEvaluator(UserItemMatrix train, UserItemMatrix seen, UserItemMatrix heldOut, int[][] sampledCandidates, int[] ks,
        boolean beyondAccuracy) {
        if (ks.length == 0 || Arrays.stream(ks).anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("--k needs cut-offs of at least 1 but was " + Arrays.toString(ks));
        }
        this.seen = seen;
        this.heldOut = heldOut;
        this.sampledCandidates = sampledCandidates;
        this.ks = ks.clone();
        Arrays.sort(this.ks);
        this.beyondAccuracy = beyondAccuracy;
        this.novelty = new Novelty(train.itemCounts(), Math.max(1, train.users()));
        this.audiences = beyondAccuracy ? train.transpose() : null;
    }

    /** The metrics and score distributions of one evaluation. */
    public record Outcome(Map<String, Double> metrics, Histogram positiveScores, Histogram negativeScores) {}

    /** @return every metric, averaged over evaluated users */
    public Outcome evaluate(ItemScorer scorer) {
        int items = heldOut.items();
        int maxK = ks[ks.length - 1];
        float[] scores = new float[items];
        boolean[] excluded = new boolean[items];
        boolean[] candidate = new boolean[items];
        Map<String, double[]> sums = new LinkedHashMap<>();
        CatalogCoverage[] coverage = new CatalogCoverage[ks.length];
        for (int k = 0; k < ks.length; k++) {
            coverage[k] = new CatalogCoverage(items);
        }
        SplittableRandom random = new SplittableRandom(17);
        FloatList positives = new FloatList();
        FloatList negatives = new FloatList();
        int evaluated = 0;
        for (int u = 0; u < heldOut.users(); u++) {
            if (heldOut.rowLength(u) == 0 || (sampledCandidates != null && sampledCandidates[u] == null)) {
                continue;
            }
            int[] relevantItems = heldOut.itemsOf(u);
            int[] pool = candidates(u, relevantItems, excluded, candidate);
            if (pool.length == 0) {
                continue;
            }
            scorer.scoreAll(u, scores);
            int[] top = TopK.of(pool, scores, maxK);
            boolean[] relevant = new boolean[top.length];
            for (int r = 0; r < top.length; r++) {
                relevant[r] = Arrays.binarySearch(relevantItems, top[r]) >= 0;
            }
            int[] ranks = ranks(relevantItems, pool, scores);
            for (int k = 0; k < ks.length; k++) {
                int cut = ks[k];
                add(sums, "hr@" + cut, RankingMetrics.hitRate(relevant, cut));
                add(sums, "ndcg@" + cut, RankingMetrics.ndcg(relevant, relevantItems.length, cut));
                add(sums, "recall@" + cut, RankingMetrics.recall(relevant, relevantItems.length, cut));
                add(sums, "precision@" + cut, RankingMetrics.precision(relevant, cut));
                add(sums, "mrr@" + cut, RankingMetrics.reciprocalRank(relevant, cut));
                add(sums, "map@" + cut, RankingMetrics.averagePrecision(relevant, relevantItems.length, cut));
            }
            add(sums, "auc", RankingMetrics.auc(ranks, pool.length));
            if (beyondAccuracy) {
                for (int k = 0; k < ks.length; k++) {
                    coverage[k].add(top, ks[k]);
                    add(sums, "novelty@" + ks[k], novelty.of(top, ks[k]));
                    add(sums, "diversity@" + ks[k], IntraListDiversity.of(top, ks[k], this::audienceDistance));
                }
                for (int i : relevantItems) {
                    positives.add(scores[i]);
                }
                for (int n = 0; n < NEGATIVE_SAMPLES_PER_USER; n++) {
                    int j = pool[random.nextInt(pool.length)];
                    if (Arrays.binarySearch(relevantItems, j) < 0) {
                        negatives.add(scores[j]);
                    }
                }
            }
            for (int i : pool) {
                candidate[i] = false;
            }
            evaluated++;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            metrics.put(e.getKey(), evaluated == 0 ? Double.NaN : e.getValue()[0] / evaluated);
        }
        if (beyondAccuracy) {
            for (int k = 0; k < ks.length; k++) {
                metrics.put("coverage@" + ks[k], coverage[k].coverage());
            }
        }
        metrics.put("users", (double) evaluated);
        if (beyondAccuracy == false) {
            return new Outcome(metrics, null, null);
        }
        double lo = Math.min(positives.min(), negatives.min());
        double hi = Math.max(positives.max(), negatives.max());
        return new Outcome(metrics, positives.histogram(HISTOGRAM_BINS, lo, hi), negatives.histogram(HISTOGRAM_BINS, lo, hi));
    }

    /** @return the candidate items of {@code u}, in ascending order */
    private int[] candidates(int u, int[] relevantItems, boolean[] excluded, boolean[] candidate) {
        if (sampledCandidates != null) {
            int[] pool = new int[sampledCandidates[u].length + relevantItems.length];
            int n = 0;
            for (int i : relevantItems) {
                if (candidate[i] == false) {
                    candidate[i] = true;
                    pool[n++] = i;
                }
            }
            for (int i : sampledCandidates[u]) {
                if (candidate[i] == false) {
                    candidate[i] = true;
                    pool[n++] = i;
                }
            }
            pool = Arrays.copyOf(pool, n);
            Arrays.sort(pool);
            return pool;
        }
        int[] seenItems = seen.itemsOf(u);
        for (int i : seenItems) {
            excluded[i] = true;
        }
        int[] pool = new int[heldOut.items() - seenItems.length];
        int n = 0;
        for (int i = 0; i < heldOut.items(); i++) {
            if (excluded[i] == false) {
                pool[n++] = i;
                candidate[i] = true;
            }
        }
        for (int i : seenItems) {
            excluded[i] = false;
        }
        return Arrays.copyOf(pool, n);
    }

    /** @return the 0-based ranks of the relevant items among the pool, ascending */
    private static int[] ranks(int[] relevantItems, int[] pool, float[] scores) {
        int[] ranks = new int[relevantItems.length];
        for (int r = 0; r < relevantItems.length; r++) {
            int p = relevantItems[r];
            int rank = 0;
            for (int i : pool) {
                if (i != p && TopK.better(i, p, scores)) {
                    rank++;
                }
            }
            ranks[r] = rank;
        }
        Arrays.sort(ranks);
        return ranks;
    }

    /** Jaccard distance between the training audiences of two items; 1 when either has none. */
    private double audienceDistance(int a, int b) {
        int fa = audiences.rowStart(a);
        int ta = audiences.rowStart(a + 1);
        int fb = audiences.rowStart(b);
        int tb = audiences.rowStart(b + 1);
        if (fa == ta || fb == tb) {
            return 1;
        }
        int common = 0;
        while (fa < ta && fb < tb) {
            int ua = audiences.itemOfEntry(fa);
            int ub = audiences.itemOfEntry(fb);
            if (ua == ub) {
                common++;
                fa++;
                fb++;
            } else if (ua < ub) {
                fa++;
            } else {
                fb++;
            }
        }
        int union = (audiences.rowStart(a + 1) - audiences.rowStart(a)) + (audiences.rowStart(b + 1) - audiences.rowStart(b)) - common;
        return 1 - (double) common / union;
    }

    private static void add(Map<String, double[]> sums, String metric, double value) {
        sums.computeIfAbsent(metric, m -> new double[1])[0] += value;
    }
}
