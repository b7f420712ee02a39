package org.recommender.tools.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A trainer's line to the outside while it runs: progress, per-epoch loss, and early stopping. After each epoch the
 * trainer hands over its current model; with a validator, the control scores it, asks the trainer to keep a copy
 * when it is the best so far, and says stop once {@code patience} epochs in a row brought no improvement. The
 * recorded losses and validation scores feed the report's curves.
 */
public final class TrainingControl {
    /**
     * The early-stopping patience {@code train}, {@code evaluate} and {@code tune} use unless told otherwise, in epochs
     * without a better validation score. Ten, not fewer: BPR's validation NDCG wanders by more than its per-epoch gain
     * for several epochs at a time, and patience 3 stopped it after 8–9 epochs, far from converged (issue 18).
     */
    public static final int DEFAULT_PATIENCE = 10;

    private final TrainingListener listener;
    private final EpochValidator validator;
    private final int patience;
    private final List<Double> losses = new ArrayList<>();
    private final List<Double> validation = new ArrayList<>();
    private double best = Double.NEGATIVE_INFINITY;
    private int bestEpoch;

    /**
     * @param listener progress callbacks
     * @param validator validation score per epoch, or null to train every epoch and keep the last
     * @param patience epochs without improvement before stopping, at least 1
     */
    public TrainingControl(TrainingListener listener, EpochValidator validator, int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("--patience must be at least 1 but was " + patience);
        }
        this.listener = listener;
        this.validator = validator;
        this.patience = patience;
    }

    /** @return a control that reports to {@code listener} and never stops early */
    public static TrainingControl of(TrainingListener listener) {
        return new TrainingControl(listener, null, 1);
    }

    /** Reports {@code count} units of work done since the last call. */
    public void steps(long count) {
        listener.steps(count);
    }

    /**
     * Announces a long step that reports no {@link #steps}, e.g. a closed-form model's factorisation; the step lasts
     * until the next phase or the end of the epoch.
     *
     * @param what the step in words
     */
    public void phase(String what) {
        listener.phase(what);
    }

    /**
     * Ends an epoch.
     *
     * @param epoch 1-based
     * @param loss mean training loss of the epoch
     * @param current the model as it is now; only scored, never kept
     * @param keepBest called when {@code current} is the best so far: the trainer copies its parameters
     * @return whether to stop training now
     */
    public boolean epochDone(int epoch, double loss, TrainedModel current, Runnable keepBest) {
        losses.add(loss);
        if (validator == null) {
            listener.epochDone(epoch, loss);
            return false;
        }
        double score = validator.score(current);
        validation.add(score);
        listener.epochDone(epoch, loss);
        listener.validated(epoch, score);
        if (score > best) {
            best = score;
            bestEpoch = epoch;
            keepBest.run();
            return false;
        }
        return epoch - bestEpoch >= patience;
    }

    /**
     * Ends training: tells the listener, when a validator chose the model, how many epochs ran and which one was kept.
     *
     * @param epochs the epochs that ran
     */
    public void finished(int epochs) {
        if (validator != null && bestEpoch > 0) {
            listener.kept(bestEpoch, epochs, best);
        }
    }

    /** @return whether a validator decides which epoch's model is kept */
    public boolean validates() {
        return validator != null;
    }

    /** @return the training loss of each finished epoch */
    public List<Double> losses() {
        return Collections.unmodifiableList(losses);
    }

    /** @return the validation score of each finished epoch (empty without a validator) */
    public List<Double> validationScores() {
        return Collections.unmodifiableList(validation);
    }

    /** @return the epoch whose model was kept (0 without a validator) */
    public int bestEpoch() {
        return bestEpoch;
    }
}
