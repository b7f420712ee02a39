package org.recommender.tools.train;

/** Scores a model on held-out validation data after an epoch; higher is better (e.g. NDCG@10, or −RMSE). */
@FunctionalInterface
public interface EpochValidator {
    /** @return the validation score of {@code model} */
    double score(TrainedModel model);
}
