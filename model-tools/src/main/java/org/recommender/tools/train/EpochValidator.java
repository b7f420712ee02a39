package org.recommender.tools.train;

/** Scores a model on held-out validation data after an epoch; higher is better (e.g. NDCG@10, or −RMSE). */
@FunctionalInterface
public interface EpochValidator {
    /** @return the validation score of {@code model} */
    double score(TrainedModel model);

    /** @return what the score measures, as messages name it; NDCG@10 unless the validator says otherwise */
    default String metric() {
        return "ndcg@10";
    }

    /** @return {@code score} as a person reads the {@link #metric()} (e.g. an RMSE back from the −RMSE scored) */
    default double shown(double score) {
        return score;
    }
}
