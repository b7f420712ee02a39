package org.recommender.tools.report;

import static org.recommender.tools.report.Text.escape;

import java.util.List;
import java.util.Map;
import org.recommender.tools.eval.EvaluationReport;
import org.recommender.tools.eval.MetricSummary;

/**
 * The report's main table: one row per model (the popularity baseline is just another row), one column per metric, each cell
 * "mean ± std (n)" over the model's seeds, the best mean of each column in bold.
 */
final class SummaryTable {
    private SummaryTable() {}

    /** @return the table as HTML */
    static String html(EvaluationReport report) {
        Map<String, Map<String, MetricSummary>> summary = report.summary();
        List<String> metrics = report.metricNames();
        StringBuilder out = new StringBuilder("<table class=\"summary\">\n<thead><tr><th>model</th>");
        metrics.forEach(m -> out.append("<th class=\"num\">").append(escape(m)).append("</th>"));
        out.append("<th class=\"num\">train s</th></tr></thead>\n<tbody>\n");
        summary.forEach((model, row) -> {
            out.append("<tr><th scope=\"row\">").append(escape(model)).append("</th>");
            for (String metric : metrics) {
                MetricSummary s = row.get(metric);
                boolean best = s != null && Double.isFinite(s.mean()) && s.mean() == best(summary, metric);
                out.append(best ? "<td class=\"num best\"><b>" : "<td class=\"num\">").append(cell(s)).append(best ? "</b></td>" : "</td>");
            }
            out.append("<td class=\"num\">").append(cell(row.get("train_seconds"))).append("</td></tr>\n");
        });
        return out.append("</tbody>\n</table>\n").toString();
    }

    /** @return "mean ± std (n)" as HTML, only the mean for a single run (its std is meaningless), a dash when missing */
    static String cell(MetricSummary s) {
        if (s == null || !Double.isFinite(s.mean())) {
            return Text.MISSING;
        }
        // the spread goes on a second, smaller line: on one line ten metrics made the table wider than the page
        return s.runs() > 1 ? Text.metric(s.mean()) + " <span class=\"spread\">± " + Text.metric(s.std()) + " (" + s.runs() + ")</span>"
            : Text.metric(s.mean());
    }

    /** @return the best finite mean of {@code metric} over the models (lowest for error metrics), NaN when there is none */
    static double best(Map<String, Map<String, MetricSummary>> summary, String metric) {
        boolean lower = MetricName.parse(metric).lowerIsBetter();
        return summary.values().stream()
            .map(row -> row.get(metric))
            .filter(s -> s != null && Double.isFinite(s.mean()))
            .mapToDouble(MetricSummary::mean)
            .reduce((a, b) -> lower ? Math.min(a, b) : Math.max(a, b))
            .orElse(Double.NaN);
    }
}
