package org.recommender.tools.train;


/**
 * A fitted model: scores every item for a user (ranking evaluation), predicts one pair (rating evaluation) and
 * exports itself the way the plugin serves it.
 */
public interface TrainedModel extends ItemScorer {
    /** @return the model's score for one (user, item) pair; for rating models, the predicted rating */
    float predict(int user, int item);

    /**
     * @return user and item vectors plus the model bundle that combines them, scoring exactly as {@link #scoreAll}
     * @throws IllegalStateException when the model cannot be served as embeddings (saying why)
     */
    ServingExport export();
}
