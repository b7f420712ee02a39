package org.recommender.tools.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one {@code model-tools evaluate} run measured, written as {@code report.json} and rendered as
 * {@code report.html}.
 *
 * @param dataset what was evaluated, e.g. the file name
 * @param protocol how, e.g. {@code ncf}, {@code random}, {@code temporal}, {@code rating-kfold}
 * @param description the protocol in one sentence, for the report's reader
 * @param settings the protocol's settings (split ratios, negatives, folds, …) and data counts
 * @param ks the cut-offs of the top-K metrics, ascending
 * @param runs every run, in order
 */
public record EvaluationReport(String dataset, String protocol, String description, Map<String, Object> settings, List<Integer> ks,
    List<RunResult> runs) {

    /** @return model → metric → mean and std over that model's runs; models and metrics in first-seen order */
    public Map<String, Map<String, MetricSummary>> summary() {
        Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
        for (RunResult run : runs) {
            Map<String, List<Double>> byMetric = values.computeIfAbsent(run.model(), m -> new LinkedHashMap<>());
            run.metrics().forEach((metric, value) -> byMetric.computeIfAbsent(metric, x -> new java.util.ArrayList<>()).add(value));
            byMetric.computeIfAbsent("train_seconds", x -> new java.util.ArrayList<>()).add(run.trainSeconds());
        }
        Map<String, Map<String, MetricSummary>> summary = new LinkedHashMap<>();
        values.forEach((model, byMetric) -> {
            Map<String, MetricSummary> s = new LinkedHashMap<>();
            byMetric.forEach((metric, v) -> s.put(metric, MetricSummary.of(v)));
            summary.put(model, s);
        });
        return summary;
    }

    /** @return the names of the metrics measured, in first-seen order */
    public List<String> metricNames() {
        Map<String, Boolean> names = new LinkedHashMap<>();
        runs.forEach(r -> r.metrics().keySet().forEach(m -> names.put(m, true)));
        return List.copyOf(names.keySet());
    }

    /** Keeps {@link TreeMap} out of the API: reports list settings sorted by name. */
    public Map<String, Object> sortedSettings() {
        return new TreeMap<>(settings);
    }
}
