package org.recommender.tools.train;

/**
 * A training run whose loss stopped being a finite number: the setting does not train (too large a step, too little
 * regularisation), so its run has no model — the {@link SettingDoesNotTrainException} of an epoch loop.
 */
public final class TrainingDivergedException extends SettingDoesNotTrainException {
    private static final long serialVersionUID = 1L;

    private final int epoch;

    /**
     * @param what the algorithm or phase that diverged
     * @param epoch the 1-based epoch whose loss was not finite
     * @param loss that loss
     * @param hint what to change, e.g. {@code lower -P learning_rate (now 0.05)}
     */
    public TrainingDivergedException(String what, int epoch, double loss, String hint) {
        super(what + " diverged at epoch " + epoch + " (loss " + loss + "); " + hint);
        this.epoch = epoch;
    }

    /** @return the 1-based epoch whose loss was not finite */
    @Override
    public int epoch() {
        return epoch;
    }
}
