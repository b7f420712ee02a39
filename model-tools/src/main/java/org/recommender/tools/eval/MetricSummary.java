package org.recommender.tools.eval;

import java.util.List;

/**
 * Mean and sample standard deviation of one metric over the seeds of one model.
 *
 * @param mean the mean
 * @param std the sample standard deviation (0 for a single run)
 * @param runs how many runs
 */
public record MetricSummary(double mean, double std, int runs) {
    /** @return the summary of {@code values} */
    public static MetricSummary of(List<Double> values) {
        int n = values.size();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new MetricSummary(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n);
    }
}
