package org.recommender.tools.train;

import org.recommender.tools.data.UserItemMatrix;

import java.util.Map;

/**
 * One training algorithm with its hyper-parameters fixed: turns a user × item matrix into a {@link TrainedModel}.
 * Implementations are seeded (the same data, parameters and seed give the same model) and report progress and
 * per-epoch loss through the {@link TrainingControl}, which also decides when to stop early.
 */
public interface Trainer {
    /** @return the algorithm's name in tables and manifests, e.g. {@code ials} */
    String name();

    /** @return the hyper-parameters by name, as recorded in manifests and reports */
    Map<String, Object> parameters();

    /** @return whether the seed changes the model; {@code evaluate} trains a seed-free algorithm once, not once per seed */
    default boolean usesSeed() {
        return true;
    }

    /**
     * @return whether the trainer learns from each user's items in time order ({@code UserItemMatrix.sequences()}), so
     *     only protocols that keep that order can train it
     */
    default boolean needsOrder() {
        return false;
    }

    /** @return whether the model predicts rating values (explicit feedback) rather than only ranking items */
    default boolean predictsRatings() {
        return false;
    }

    /**
     * Fails before training when the model {@link #fit} would make from {@code data} could not be exported for
     * serving (e.g. too many dimensions), so {@code train} does not spend minutes to fail at the end.
     *
     * @throws IllegalArgumentException saying why
     */
    default void requireServable(UserItemMatrix data) {}

    /** @return roughly how many units of work {@link #fit} reports through {@link TrainingControl#steps}, for progress bars */
    long totalSteps(UserItemMatrix data);

    /**
     * Trains on {@code data}. Values of {@code data} are ratings, counts or 1s; implicit trainers read them as
     * binary or as confidence, explicit ones as the targets.
     *
     * @return the model of the best epoch by the control's validation, or of the last epoch without one
     * @throws IllegalStateException when training diverges
     */
    TrainedModel fit(UserItemMatrix data, TrainingControl control);
}
