package org.recommender.tools.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.recommender.tools.eval.EvaluationReport;
import org.recommender.tools.eval.Histogram;
import org.recommender.tools.eval.RunResult;

/** Hand-built reports for the report tests: two models × two seeds, with values chosen so each check has one right answer. */
final class Reports {
    static final String ODD_MODEL = "a<b&c";
    static final String ODD_DATASET = "data/\"ml\" <100k>.csv";
    /** Users every run of the fixture averaged over; not the data's 943 users, so the two cannot be confused. */
    static final int USERS_EVALUATED = 900;

    private Reports() {}

    /**
     * bpr: hr@10 0.5 / 0.6 (best), rmse 0.9 / 1.1 (worse), auc 0.8 / 0.9 (the only finite auc), early stopping at epoch 3.
     * a<b&c (a popularity-like baseline): hr@10 0.3 / 0.3, rmse 0.8 / 0.8 (best: lower is better), auc NaN, no positive histogram.
     */
    static EvaluationReport twoModelsTwoSeeds() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("negatives", 99);
        settings.put("test_ratio", 0.2);
        settings.put("users", 943);
        settings.put("holdout", "latest");
        List<RunResult> runs = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            double d = seed == 1 ? 0 : 0.1;
            runs.add(run("bpr", seed, metrics(0.4 + d, 0.5 + d, 0.7 + d, 0.3 + d, 0.35 + d, 0.4 + d, 0.8 + d, 0.9 + 2 * d, 0.2 + d, 9.5 + d),
                12.5 + seed, 6, 3, List.of(0.69, 0.5, 0.41, 0.38, 0.37, 0.365), List.of(0.2, 0.3, 0.35, 0.34, 0.33, 0.33),
                histogram(seed, 2.0, 1.0, 500), histogram(seed + 10, 0.0, 1.0, 5000)));
            runs.add(run(ODD_MODEL, seed, metrics(0.2, 0.3, 0.45, 0.1, 0.15, 0.2, Double.NaN, 0.8, 0.01, 7.0), 0.25, 0, 0, List.of(), List.of(),
                null, histogram(seed + 20, 0.0, 1.0, 1000)));
        }
        return new EvaluationReport(ODD_DATASET, "ncf", "Leave the latest item of each user out and rank it among 99 sampled negatives.",
            settings, List.of(5, 10, 20), runs);
    }

    private static RunResult run(String model, long seed, Map<String, Double> metrics, double seconds, int epochs, int best, List<Double> loss,
        List<Double> validation, Histogram positives, Histogram negatives) {
        return new RunResult(model, seed, Map.of("factors", 32, "learning_rate", 0.05), metrics, USERS_EVALUATED, seconds, epochs, best, loss, validation,
            positives, negatives);
    }

    private static Map<String, Double> metrics(double hr5, double hr10, double hr20, double ndcg5, double ndcg10, double ndcg20, double auc,
        double rmse, double coverage, double novelty) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("hr@5", hr5);
        m.put("hr@10", hr10);
        m.put("hr@20", hr20);
        m.put("ndcg@5", ndcg5);
        m.put("ndcg@10", ndcg10);
        m.put("ndcg@20", ndcg20);
        m.put("auc", auc);
        m.put("rmse", rmse);
        m.put("coverage@10", coverage);
        m.put("novelty@10", novelty);
        return m;
    }

    private static Histogram histogram(long seed, double mean, double std, int n) {
        Random random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (mean + std * random.nextGaussian());
        }
        return Histogram.of(values, n, 30);
    }
}
