package org.recommender.tools.train;

/**
 * A setting of an algorithm that trains no model on the data: its loss stopped being a finite number
 * ({@link TrainingDivergedException}), or the system it solves is not positive definite (EASE's Gram matrix, the
 * normal equations of ALS and BPMF: too little regularisation). {@code train} and {@code evaluate} report it and stop;
 * {@code tune} records the setting as scoring nothing on validation and goes on with the others.
 */
public class SettingDoesNotTrainException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and what to change, e.g. {@code …; raise -P lambda (now 10)} */
    public SettingDoesNotTrainException(String message) {
        super(message);
    }

    /** @param message what failed and what to change */
    public SettingDoesNotTrainException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return the 1-based epoch the run stopped in, or 0 where it failed before its epochs (a closed form) */
    public int epoch() {
        return 0;
    }
}
