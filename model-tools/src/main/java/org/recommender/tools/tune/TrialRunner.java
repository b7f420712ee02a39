package org.recommender.tools.tune;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.EpochValidator;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;

/**
 * Trains one configured trainer for a search or for the final fit: the {@code tune} command's runs with progress
 * bars, a test's plain ones. It sees the training data and the validator, never the test set.
 */
@FunctionalInterface
public interface TrialRunner {
    /**
     * The outcome of one training run.
     *
     * @param model the kept model (the best epoch's with early stopping)
     * @param validation that model's validation score, or NaN when it had no validator
     * @param epochs epochs trained
     * @param keptEpoch the kept epoch, or 0 without early stopping
     * @param seconds wall-clock training time
     */
    record Fitted(TrainedModel model, double validation, int epochs, int keptEpoch, double seconds) {}

    /**
     * @param trainer the configured trainer
     * @param train what it learns from
     * @param validator scores a model on the validation data (higher is better), or null for the final fit of a fold
     *     without a validation part (rating k-fold: fixed epochs)
     * @param label names the run in progress output, e.g. {@code bpr trial 3/20}
     * @return the kept model and how it did on validation
     */
    Fitted fit(Trainer trainer, UserItemMatrix train, EpochValidator validator, String label);
}
