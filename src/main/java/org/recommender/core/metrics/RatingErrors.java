package org.recommender.core.metrics;

/**
 * Accumulates rating prediction errors and reports RMSE and MAE. Not thread-safe; one per evaluation.
 */
public final class RatingErrors {
    private double squared;
    private double absolute;
    private long count;

    /** Adds one prediction of a known rating. */
    public void add(double predicted, double actual) {
        double e = predicted - actual;
        squared += e * e;
        absolute += Math.abs(e);
        count++;
    }

    /** @return the root mean squared error, NaN when nothing was added */
    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(squared / count);
    }

    /** @return the mean absolute error, NaN when nothing was added */
    public double mae() {
        return count == 0 ? Double.NaN : absolute / count;
    }

    /** @return how many predictions were added */
    public long count() {
        return count;
    }
}
