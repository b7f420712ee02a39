package org.recommender.tools.eval;

import org.recommender.core.compute.NativeThreads;
import org.recommender.core.metrics.CatalogCoverage;
import org.recommender.core.metrics.IntraListDiversity;
import org.recommender.core.metrics.Novelty;
import org.recommender.core.metrics.RankingMetrics;
import org.recommender.core.rank.TopK;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.ItemScorer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>Users are scored in parallel (a full ranking is one {@code scoreAll} over the catalogue per user, which made
 * per-epoch validation on Last.fm cost as much as a training epoch on one thread); the outcome does not depend on
 * the number of threads. Immutable: one evaluator may serve several evaluations, also at once.
 */
public final class RankingEvaluator {
    private static final int NEGATIVE_SAMPLES_PER_USER = 20;
    private static final long NEGATIVE_SEED = 17;
    private static final int HISTOGRAM_BINS = 40;
    /** Users whose results are held before they are summed: bounds memory on catalogues with millions of users. */
    private static final int CHUNK_USERS = 8192;

    private final UserItemMatrix seen;
    private final UserItemMatrix heldOut;
    private final int[][] sampledCandidates;
    private final int[] ks;
    private final boolean beyondAccuracy;
    private final Novelty novelty;
    private final UserItemMatrix audiences;
    private final String[] metricNames;
    private final int threads;

    /**
     * An evaluator that uses every available processor; see
     * {@link #RankingEvaluator(UserItemMatrix, UserItemMatrix, UserItemMatrix, int[][], int[], boolean, int)}.
     */
    public RankingEvaluator(UserItemMatrix train, UserItemMatrix seen, UserItemMatrix heldOut, int[][] sampledCandidates, int[] ks,
        boolean beyondAccuracy) {
        this(train, seen, heldOut, sampledCandidates, ks, beyondAccuracy, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param train the training interactions: popularity for novelty and audiences for diversity
     * @param seen what each user has seen and must not be recommended (train, or train + validation)
     * @param heldOut the relevant items of each user
     * @param sampledCandidates per user, the negatives to rank the held-out items against (null: full ranking;
     *     a null row: the user is not evaluated)
     * @param ks the cut-offs, each at least 1
     * @param beyondAccuracy whether to compute coverage, novelty and diversity (skipped for per-epoch validation)
     * @param threads the most threads one evaluation scores users on, at least 1
     */
    public RankingEvaluator(UserItemMatrix train, UserItemMatrix seen, UserItemMatrix heldOut, int[][] sampledCandidates, int[] ks,
        boolean beyondAccuracy, int threads) {
        if (ks.length == 0 || Arrays.stream(ks).anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("--k needs cut-offs of at least 1 but was " + Arrays.toString(ks));
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
        }
        this.seen = seen;
        this.heldOut = heldOut;
        this.sampledCandidates = sampledCandidates;
        this.ks = ks.clone();
        Arrays.sort(this.ks);
        this.beyondAccuracy = beyondAccuracy;
        this.novelty = new Novelty(train.itemCounts(), Math.max(1, train.users()));
        this.audiences = beyondAccuracy ? train.transpose() : null;
        this.metricNames = metricNames(this.ks, beyondAccuracy);
        this.threads = threads;
    }

    /** @return the names of the per-user metrics, in the order {@link #evaluateUser} computes them */
    private static String[] metricNames(int[] ks, boolean beyondAccuracy) {
        List<String> names = new ArrayList<>();
        for (int cut : ks) {
            for (String family : new String[] { "hr", "ndcg", "recall", "precision", "mrr", "map" }) {
                names.add(family + "@" + cut);
            }
        }
        names.add("auc");
        if (beyondAccuracy) {
            for (int cut : ks) {
                names.add("novelty@" + cut);
                names.add("diversity@" + cut);
            }
        }
        return names.toArray(String[]::new);
    }

    /**
     * What one evaluation measured.
     *
     * @param users how many users were evaluated: those with held-out items, a candidate row (sampled protocols) and
     *     at least one candidate; the denominator of every mean in {@code metrics}
     * @param metrics metric name → mean over the evaluated users ({@code coverage@K} is over the catalogue); NaN
     *     means when no user was evaluated
     * @param positiveScores scores of the held-out items, or null without beyond-accuracy metrics
     * @param negativeScores scores of sampled candidates that are not held out, or null likewise
     */
    public record Outcome(int users, Map<String, Double> metrics, Histogram positiveScores, Histogram negativeScores) {}

    /**
     * Scores users on up to {@code threads} threads. Each user's values land in a slot indexed by the user, and the
     * slots are summed in user order, so the outcome is bit-for-bit the one thread's, whatever the scheduling.
     * {@code scorer} must allow concurrent {@link ItemScorer#scoreAll} calls, as its contract says.
     *
     * @return every metric, averaged over evaluated users
     */
    public Outcome evaluate(ItemScorer scorer) {
        int[] users = candidateUsers();
        Totals totals = new Totals();
        UserResult[] slots = new UserResult[Math.min(CHUNK_USERS, users.length)];
        try (ParallelUsers workers = new ParallelUsers(threads, Math.min(CHUNK_USERS, users.length));
            // several workers each inside a native product would each start a BLAS thread per core and fight over them
            NativeThreads.Scope natives = workers.parallel() ? NativeThreads.cap(1) : () -> {}) {
            // chunks bound the per-user results held at once
            for (int from = 0; from < users.length; from += CHUNK_USERS) {
                int to = Math.min(users.length, from + CHUNK_USERS);
                workers.map(from, to, () -> new Scratch(heldOut.items()), (i, scratch) -> evaluateUser(users[i], scorer, scratch), slots);
                for (int i = 0; i < to - from; i++) {
                    totals.add(slots[i]);
                    slots[i] = null;
                }
            }
        }
        return totals.outcome();
    }

    /** @return the users that have held-out items and, with sampled candidates, a candidate row, ascending */
    private int[] candidateUsers() {
        int[] users = new int[heldOut.users()];
        int n = 0;
        for (int u = 0; u < heldOut.users(); u++) {
            if (heldOut.rowLength(u) > 0 && (sampledCandidates == null || sampledCandidates[u] != null)) {
                users[n++] = u;
            }
        }
        return Arrays.copyOf(users, n);
    }

    /** One thread's buffers, reused across its users. */
    private static final class Scratch {
        final float[] scores;
        final boolean[] excluded;
        final boolean[] candidate;

        Scratch(int items) {
            scores = new float[items];
            excluded = new boolean[items];
            candidate = new boolean[items];
        }
    }

    /**
     * One user's values, in {@link #metricNames} order, with the top list and the scores sampled for the
     * distributions (both null without beyond-accuracy metrics).
     */
    private record UserResult(double[] values, int[] top, float[] positives, float[] negatives) {}

    /** @return the user's metrics, or null when the user has no candidate to rank */
    private UserResult evaluateUser(int u, ItemScorer scorer, Scratch s) {
        int[] relevantItems = heldOut.itemsOf(u);
        int[] pool = candidates(u, relevantItems, s.excluded, s.candidate);
        if (pool.length == 0) {
            return null;
        }
        float[] scores = s.scores;
        scorer.scoreAll(u, scores);
        int maxK = ks[ks.length - 1];
        int[] top = TopK.of(pool, scores, maxK);
        boolean[] relevant = new boolean[top.length];
        for (int r = 0; r < top.length; r++) {
            relevant[r] = Arrays.binarySearch(relevantItems, top[r]) >= 0;
        }
        double[] values = new double[metricNames.length];
        int v = 0;
        for (int cut : ks) {
            values[v++] = RankingMetrics.hitRate(relevant, cut);
            values[v++] = RankingMetrics.ndcg(relevant, relevantItems.length, cut);
            values[v++] = RankingMetrics.recall(relevant, relevantItems.length, cut);
            values[v++] = RankingMetrics.precision(relevant, cut);
            values[v++] = RankingMetrics.reciprocalRank(relevant, cut);
            values[v++] = RankingMetrics.averagePrecision(relevant, relevantItems.length, cut);
        }
        values[v++] = RankingMetrics.auc(ranks(relevantItems, pool, scores), pool.length);
        float[] positives = null;
        float[] negatives = null;
        if (beyondAccuracy) {
            for (int cut : ks) {
                values[v++] = novelty.of(top, cut);
                values[v++] = IntraListDiversity.of(top, cut, this::audienceDistance);
            }
            positives = new float[relevantItems.length];
            for (int r = 0; r < relevantItems.length; r++) {
                positives[r] = scores[relevantItems[r]];
            }
            // seeded by the user, so the sample does not depend on which thread scored which user first
            SplittableRandom random = new SplittableRandom(NEGATIVE_SEED * 0x9E3779B97F4A7C15L + u);
            negatives = new float[NEGATIVE_SAMPLES_PER_USER];
            int n = 0;
            for (int d = 0; d < NEGATIVE_SAMPLES_PER_USER; d++) {
                int j = pool[random.nextInt(pool.length)];
                if (Arrays.binarySearch(relevantItems, j) < 0) {
                    negatives[n++] = scores[j];
                }
            }
            negatives = Arrays.copyOf(negatives, n);
        }
        for (int i : pool) {
            s.candidate[i] = false;
        }
        return new UserResult(values, beyondAccuracy ? top : null, positives, negatives);
    }

    /** The running sums, fed one user at a time in user order. */
    private final class Totals {
        private final double[] sums = new double[metricNames.length];
        private final CatalogCoverage[] coverage = new CatalogCoverage[ks.length];
        private final FloatList positives = new FloatList();
        private final FloatList negatives = new FloatList();
        private int evaluated;

        Totals() {
            for (int k = 0; k < ks.length; k++) {
                coverage[k] = new CatalogCoverage(heldOut.items());
            }
        }

        void add(UserResult r) {
            if (r == null) {
                return;
            }
            for (int m = 0; m < sums.length; m++) {
                sums[m] += r.values()[m];
            }
            if (beyondAccuracy) {
                for (int k = 0; k < ks.length; k++) {
                    coverage[k].add(r.top(), ks[k]);
                }
                for (float p : r.positives()) {
                    positives.add(p);
                }
                for (float n : r.negatives()) {
                    negatives.add(n);
                }
            }
            evaluated++;
        }

        Outcome outcome() {
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int m = 0; m < sums.length; m++) {
                metrics.put(metricNames[m], evaluated == 0 ? Double.NaN : sums[m] / evaluated);
            }
            if (beyondAccuracy == false) {
                return new Outcome(evaluated, metrics, null, null);
            }
            for (int k = 0; k < ks.length; k++) {
                metrics.put("coverage@" + ks[k], coverage[k].coverage());
            }
            double lo = Math.min(positives.min(), negatives.min());
            double hi = Math.max(positives.max(), negatives.max());
            return new Outcome(evaluated, metrics, positives.histogram(HISTOGRAM_BINS, lo, hi), negatives.histogram(HISTOGRAM_BINS, lo, hi));
        }
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
}
