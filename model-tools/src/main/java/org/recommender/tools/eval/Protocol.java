package org.recommender.tools.eval;

import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.NcfNegatives;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.data.UserSequences;
import org.recommender.tools.train.HistoryModel;
import org.recommender.tools.train.ItemScorer;
import org.recommender.tools.train.TrainedModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation protocols of {@code model-tools evaluate}, each as published so numbers compare with the anchors.
 */
public enum Protocol {
    /** He et al. 2017: leave-latest-out, the held-out item ranked among sampled negatives. */
    NCF("ncf", "leave-latest-out: each user's latest item ranked against %d sampled items the user never interacted with (NCF protocol)"),
    /** RecBole's default: a per-user random 80/10/10 split, full ranking over unseen items. */
    RANDOM("random", "per-user random split %s, full ranking over every item the user has not seen (training items excluded)"),
    /** Like {@link #RANDOM} but by time: each user's latest items are the test set. */
    TEMPORAL("temporal", "per-user temporal split %s (latest items to test), full ranking over every item the user has not seen"),
    /**
     * RecBole's leave-one-out for sequential recommendation: each user's latest item is the test item and the one
     * before it validates, ranked in full — the protocol sequence models (SASRec, GRU4Rec) are published under.
     */
    SEQUENTIAL("sequential", "leave-one-out by time: each user's latest item is the test item and the one before it validates, "
        + "full ranking over every item the user has not seen (RecBole's sequential protocol)"),
    /** Surprise's benchmark: k-fold cross-validation of rating prediction. */
    RATING_KFOLD("rating-kfold", "%d-fold cross-validation of rating prediction over all ratings (shuffled, seeded)");

    private final String externalName;
    private final String description;

    Protocol(String externalName, String description) {
        this.externalName = externalName;
        this.description = description;
    }

    /** @return the name used on the command line */
    public String externalName() {
        return externalName;
    }

    /** @throws IllegalArgumentException listing the known names */
    public static Protocol fromName(String name) {
        for (Protocol p : values()) {
            if (p.externalName.equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown --protocol [" + name + "]; expected one of [ncf, random, temporal, sequential, rating-kfold]");
    }

    /** @return whether the protocol measures rating prediction (RMSE / MAE) rather than ranking */
    public boolean ratesPredictions() {
        return this == RATING_KFOLD;
    }

    /**
     * @return whether the training part keeps each user's items in time order, which sequence models need: the
     *     leave-latest-out protocols and the temporal split do; a random split and rating folds do not
     */
    public boolean keepsOrder() {
        return this == NCF || this == TEMPORAL || this == SEQUENTIAL;
    }

    /**
     * @param algorithm the algorithm's name, for the message
     * @param needsOrder whether it learns from time-ordered sequences
     * @throws IllegalArgumentException when it does and this protocol does not keep time order, naming both
     */
    public void requireOrderFor(String algorithm, boolean needsOrder) {
        if (needsOrder && keepsOrder() == false) {
            throw new IllegalArgumentException(algorithm + " learns from each user's items in time order, which --protocol " + externalName
                + " does not keep; use sequential, temporal or ncf");
        }
    }

    /**
     * @param algorithm the algorithm's name, for the message
     * @param predictsRatings whether it predicts ratings
     * @throws IllegalArgumentException when this protocol scores rating predictions and the algorithm only ranks
     */
    public void requireRatingsFor(String algorithm, boolean predictsRatings) {
        if (ratesPredictions() && predictsRatings == false) {
            throw new IllegalArgumentException("--protocol " + externalName + " needs a rating model; " + algorithm
                + " ranks items but does not predict ratings (use svd or als)");
        }
    }

    /** @return one sentence saying what is measured, for reports */
    public String describe(ProtocolSettings s) {
        return switch (this) {
            case NCF -> description.formatted(s.negatives());
            case RANDOM, TEMPORAL -> description.formatted(ratios(s));
            case SEQUENTIAL -> description;
            case RATING_KFOLD -> description.formatted(s.folds());
        };
    }

    /** @return the protocol's settings and the data's counts, for reports */
    public Map<String, Object> settings(ProtocolSettings s, Interactions log) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("users", log.users().size());
        m.put("items", log.items().size());
        m.put("interactions", log.size());
        m.put("split_seed", s.splitSeed());
        switch (this) {
            case NCF -> m.put("negatives", s.negatives());
            case RANDOM, TEMPORAL -> m.put("split", ratios(s));
            case SEQUENTIAL -> m.put("split", "leave-one-out by time");
            case RATING_KFOLD -> m.put("folds", s.folds());
        }
        m.put("early_stopping", ratesPredictions() ? "none (fixed epochs)"
            : s.patience() > 0 ? "validation ndcg@10, patience " + s.patience() : "none (--no-early-stopping: every epoch, the last kept)");
        return m;
    }

    /** @return the train/test divisions of {@code log} under this protocol */
    public List<Fold> folds(Interactions log, ProtocolSettings s) {
        List<Fold> folds = new ArrayList<>();
        int[] ks = s.ks();
        switch (this) {
            case NCF -> {
                Split split = s.givenTests() == null ? new LeaveLatestOut().apply(log) : givenTests(log, s.givenTests());
                UserItemMatrix all = UserItemMatrix.union(split.seenBeforeTest(), split.test());
                int[][] testNegatives = s.givenTests() != null ? candidates(s.givenTests(), log.users().size())
                    : new NegativeSampler(s.negatives(), s.splitSeed()).sample(all, split.test());
                int[][] validationNegatives = new NegativeSampler(s.negatives(), s.splitSeed() + 1).sample(all, split.validation());
                RankingEvaluator test = new RankingEvaluator(split.train(), split.seenBeforeTest(), split.test(), testNegatives, ks, true);
                RankingEvaluator validation = new RankingEvaluator(split.train(), split.train(), split.validation(), validationNegatives, new int[] { 10 }, false);
                folds.add(new Fold("", split, m -> test.evaluate(beforeTest(m, split)), m -> validation.evaluate(m).metrics().get("ndcg@10")));
            }
            case RANDOM, TEMPORAL -> {
                Split split = new RatioSplit(s.validationRatio(), s.testRatio(), this == TEMPORAL, s.splitSeed()).apply(log);
                folds.add(fullRanking(split, ks, true));
            }
            case SEQUENTIAL -> folds.add(fullRanking(new LeaveLatestOut().apply(log), ks, true));
            case RATING_KFOLD -> {
                requireRatings(log);
                KFoldSplit kfold = new KFoldSplit(s.folds(), s.splitSeed());
                List<Split> splits = kfold.applyAll(log);
                for (int f = 0; f < kfold.folds(); f++) {
                    Split split = splits.get(f);
                    RatingEvaluator rating = new RatingEvaluator(split.test());
                    int users = split.test().usersWithItems();
                    folds.add(new Fold("fold " + (f + 1) + "/" + kfold.folds(), split,
                        m -> new RankingEvaluator.Outcome(users, rating.evaluate(m), null, null), null));
                }
            }
        }
        return folds;
    }

    /**
     * Rating prediction of data whose ratings are all alike measures nothing: a file without a rating column reads as
     * all 1, and every model then predicts it to an RMSE near 0.
     *
     * @throws IllegalArgumentException when every interaction has the same rating
     */
    private static void requireRatings(Interactions log) {
        for (int r = 1; r < log.size(); r++) {
            if (log.rating(r) != log.rating(0)) {
                return;
            }
        }
        throw new IllegalArgumentException("--protocol rating-kfold measures rating prediction, but every interaction has the rating "
            + (log.size() == 0 ? "none" : String.valueOf(log.rating(0))) + " (a file without a rating column reads as all 1): "
            + "give a file with ratings, or name its column with --rating-column");
    }

    /**
     * A fold ranked in full: each user's test items against every item the user has not seen (train + validation
     * excluded), and, for early stopping, the validation items by NDCG@10 against every item not in train. The
     * random and temporal protocols use it, and so does {@code model-tools train} over a leave-latest-out split.
     *
     * @param split the data
     * @param ks the cut-offs of the test metrics
     * @param beyondAccuracy whether the test also measures coverage, novelty, diversity and score distributions
     */
    public static Fold fullRanking(Split split, int[] ks, boolean beyondAccuracy) {
        RankingEvaluator test = new RankingEvaluator(split.train(), split.seenBeforeTest(), split.test(), null, ks, beyondAccuracy);
        RankingEvaluator validation = new RankingEvaluator(split.train(), split.train(), split.validation(), null, new int[] { 10 }, false);
        return new Fold("", split, m -> test.evaluate(beforeTest(m, split)), m -> validation.evaluate(m).metrics().get("ndcg@10"));
    }

    /**
     * @return what scores the test: a model that encodes users from their history ({@link HistoryModel}) reads each
     *     user's history before the test item — training then validation items, in time order, as serving would see
     *     it; validation uses the training sequences the model learned on. Other models as they are.
     */
    static ItemScorer beforeTest(TrainedModel model, Split split) {
        UserSequences before = split.seenBeforeTest().sequences();
        return model instanceof HistoryModel history && before != null ? history.given(before) : model;
    }

    /**
     * The NCF release's split: the file's held-out items are the test set; each user's latest interaction in the
     * training file validates (so early stopping never looks at the test items).
     */
    private static Split givenTests(Interactions log, NcfNegatives tests) {
        Split inFile = new LeaveLatestOut().apply(log);
        int users = log.users().size();
        int items = log.items().size();
        int[] u = new int[tests.size()];
        int[] i = new int[tests.size()];
        for (int c = 0; c < tests.size(); c++) {
            u[c] = tests.cases().get(c).user();
            i[c] = tests.cases().get(c).positive();
        }
        UserItemMatrix test = UserItemMatrix.fromPairs(users, items, u, i);
        return new Split(UserItemMatrix.union(inFile.train(), inFile.validation()), inFile.test(), test);
    }

    private static int[][] candidates(NcfNegatives tests, int users) {
        int[][] c = new int[users][];
        for (NcfNegatives.TestCase t : tests.cases()) {
            c[t.user()] = t.candidates();
        }
        return c;
    }

    private static String ratios(ProtocolSettings s) {
        double train = 1 - s.validationRatio() - s.testRatio();
        return String.format(Locale.ROOT, "%.0f/%.0f/%.0f", train * 100, s.validationRatio() * 100, s.testRatio() * 100);
    }
}
