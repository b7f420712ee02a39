package org.recommender.tools.report;

/**
 * A metric name such as {@code ndcg@10} split into its family ({@code ndcg}) and cut-off ({@code 10}); names without a cut-off
 * ({@code auc}, {@code rmse}) have {@code k = 0}.
 *
 * @param family the part before {@code @}, lower case
 * @param k the cut-off, or 0 when there is none
 */
record MetricName(String family, int k) {
    /** @return {@code name} parsed; a malformed cut-off counts as no cut-off so an odd name still shows in the tables */
    static MetricName parse(String name) {
        int at = name.lastIndexOf('@');
        if (at > 0) {
            try {
                return new MetricName(name.substring(0, at).toLowerCase(java.util.Locale.ROOT), Integer.parseInt(name.substring(at + 1)));
            } catch (NumberFormatException e) {
                // falls through: e.g. "hr@all" is listed as a plain metric
            }
        }
        return new MetricName(name.toLowerCase(java.util.Locale.ROOT), 0);
    }

    /** @return true for error metrics, where the smallest value is the best one */
    boolean lowerIsBetter() {
        return family.equals("rmse") || family.equals("mae");
    }
}
