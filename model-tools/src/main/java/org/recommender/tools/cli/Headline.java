package org.recommender.tools.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The one-line result of a ranking run on the console ({@code evaluate}'s runs and summary, {@code tune}'s final test),
 * at one cut-off of those the user asked for with {@code --k}: 10 when asked (the published tables' cut-off), else the
 * largest below it, else the smallest. The reports hold every cut-off.
 */
final class Headline {
    private Headline() {}

    /** @return the cut-off the console shows among {@code ks} (not empty) */
    static int cutoff(int[] ks) {
        int below = Arrays.stream(ks).filter(k -> k <= 10).max().orElse(-1);
        return below > 0 ? below : Arrays.stream(ks).min().orElseThrow();
    }

    /** @return {@code NDCG@K HR@K Recall@K} of {@code metrics} at {@code k} */
    static String ranking(Map<String, Double> metrics, int k) {
        return String.format(Locale.ROOT, "NDCG@%d %.4f HR@%d %.4f Recall@%d %.4f", k, metrics.getOrDefault("ndcg@" + k, Double.NaN), k,
            metrics.getOrDefault("hr@" + k, Double.NaN), k, metrics.getOrDefault("recall@" + k, Double.NaN));
    }
}
