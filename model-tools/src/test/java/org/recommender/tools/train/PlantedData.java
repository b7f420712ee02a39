package org.recommender.tools.train;

import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.SyntheticConfig;
import org.recommender.tools.data.SyntheticInteractions;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.eval.LeaveLatestOut;
import org.recommender.tools.eval.RankingEvaluator;
import org.recommender.tools.eval.Split;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Implicit feedback with planted taste clusters (the generator behind {@code model-tools generate}), split
 * leave-latest-out: the data every trainer must learn something from that popularity cannot.
 */
public final class PlantedData {
    private final Split split;

    private PlantedData(Split split) {
        this.split = split;
    }

    /** @return 1,000 users, 500 items, ~20 interactions each, 10 clusters, 10 % noise */
    public static PlantedData of(long seed) {
        return of(1000, 500, seed);
    }

    /** @return planted data of the given size (~20 interactions per user, 10 clusters) */
    public static PlantedData of(int users, int items, long seed) {
        Interactions.Builder rows = new Interactions.Builder();
        try {
            new SyntheticInteractions(new SyntheticConfig(users, items, 20, 10, 0.1, 1.0, seed)).generate(rows::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PlantedData(new LeaveLatestOut().apply(rows.build()));
    }

    /** @return what models train on: everything but each user's latest item */
    public UserItemMatrix train() {
        return split.seenBeforeTest();
    }

    /** @return HR@10, NDCG@10 … of {@code scorer} on each user's latest item, full ranking over unseen items */
    public Map<String, Double> evaluate(ItemScorer scorer) {
        return outcome(scorer).metrics();
    }

    /** @return the same evaluation with its user count */
    public RankingEvaluator.Outcome outcome(ItemScorer scorer) {
        return new RankingEvaluator(train(), train(), split.test(), null, new int[] { 10 }, false).evaluate(scorer);
    }

    /** @return the popularity baseline's metrics */
    public Map<String, Double> popularity() {
        return evaluate(new PopularityModel(train()));
    }
}
