package org.recommender.tools.train;

/** Hears about a trainer's progress, e.g. to drive a progress bar. Called on the training thread. */
public interface TrainingListener {
    /** Ignores everything. */
    TrainingListener NONE = new TrainingListener() {};

    /** Called every few thousand SGD steps with how many were done since the last call. */
    default void steps(long count) {}

    /**
     * Called when a step begins that reports no {@link #steps} while it runs (e.g. a native matrix factorisation), so
     * a display can say what is going on and keep saying it.
     *
     * @param what the step in words, e.g. {@code Cholesky factor (LAPACK spotrf)}
     */
    default void phase(String what) {}

    /**
     * Called after each epoch.
     *
     * @param epoch 1-based
     * @param loss the mean training loss over the epoch
     */
    default void epochDone(int epoch, double loss) {}

    /**
     * Called after an epoch's validation.
     *
     * @param epoch 1-based
     * @param score the validation score (higher is better)
     */
    default void validated(int epoch, double score) {}

    /**
     * Called once after training when early stopping chose the model.
     *
     * @param epoch the 1-based epoch whose model was kept
     * @param epochs the epochs that ran
     * @param score the kept epoch's validation score
     */
    default void kept(int epoch, int epochs, double score) {}
}
