package org.recommender.tools.report;

import static org.recommender.tools.report.Text.escape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import org.recommender.tools.eval.EvaluationReport;
import org.recommender.tools.eval.RunResult;

/**
 * Renders an {@link EvaluationReport} as one self-contained HTML page: inline CSS, charts as inline SVG, no scripts, fonts or
 * images to fetch, so the file can be mailed or archived and still opens anywhere. Sections: what was evaluated and how, the
 * summary table, metric@K curves, training curves, score distributions, popularity bias, and every run.
 */
public final class HtmlReport {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private HtmlReport() {}

    /** Writes the report of {@code report} to {@code file} (UTF-8), dated now. */
    public static void write(Path file, EvaluationReport report) throws IOException {
        Files.writeString(file, render(report, Instant.now()), StandardCharsets.UTF_8);
    }

    /**
     * @param report what to show
     * @param generated the date printed in the header (a parameter so that the same report renders the same page)
     * @return the page
     */
    public static String render(EvaluationReport report, Instant generated) {
        ChartSections charts = new ChartSections(report);
        String title = report.dataset() + ": " + report.protocol() + " protocol";
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" + escape(title) + "</title>\n<style>\n"
            + Style.CSS + "</style>\n</head>\n<body>\n"
            + header(report, title, generated)
            + section("summary", "Summary", "Mean ± standard deviation over seeds (number of runs); best per column in bold "
                + "(lowest for rmse and mae, highest otherwise).", wrap(SummaryTable.html(report)))
            + section("curves", "Metrics by cut-off K", null, charts.metricCurves())
            + section("training", "Training curves", null, charts.trainingCurves())
            + section("scores", "Score distributions", "Scores of held-out positives against negatives, each normalised to a density.",
                charts.scoreDistributions())
            + section("popularity", "Popularity bias", "Catalogue coverage and novelty of the top-K lists: low values mean the model "
                + "mostly recommends popular items.", charts.popularityBias())
            + section("runs", "Runs", null, wrap(RunTable.html(report)))
            + "</body>\n</html>\n";
    }

    private static String header(EvaluationReport report, String title, Instant generated) {
        StringBuilder out = new StringBuilder("<header>\n<h1>").append(escape(title)).append("</h1>\n<p class=\"meta\">")
            .append("Protocol <b>").append(escape(report.protocol())).append("</b>, ").append(report.runs().size()).append(" runs, ")
            .append("generated ").append(DATE.format(generated)).append("</p>\n");
        if (report.description() != null && !report.description().isBlank()) {
            out.append("<p>").append(escape(report.description())).append("</p>\n");
        }
        out.append("<table class=\"settings\">\n<tbody>\n");
        row(out, "dataset", report.dataset());
        row(out, "cut-offs K", report.ks() == null || report.ks().isEmpty() ? null : report.ks().toString());
        row(out, "users evaluated", usersEvaluated(report.runs()));
        if (report.settings() != null) {
            report.sortedSettings().forEach((k, v) -> row(out, k, value(v)));
        }
        return out.append("</tbody>\n</table>\n</header>\n").toString();
    }

    /**
     * @return how many users the runs' metrics average over: one number when every run agrees (one split), else the
     *     range (folds of different sizes); null without runs
     */
    static String usersEvaluated(List<RunResult> runs) {
        IntSummaryStatistics users = runs.stream().mapToInt(RunResult::usersEvaluated).summaryStatistics();
        if (users.getCount() == 0) {
            return null;
        }
        return users.getMin() == users.getMax() ? Integer.toString(users.getMax()) : users.getMin() + "–" + users.getMax();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("<tr><th scope=\"row\">").append(escape(name)).append("</th><td>")
            .append(value == null ? Text.MISSING : escape(value)).append("</td></tr>\n");
    }

    /** Settings are whatever the protocol put there: numbers are printed without the locale, lists and maps as text. */
    private static String value(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? stripZeros(d) : Text.MISSING;
        }
        if (v instanceof List<?> || v instanceof Map<?, ?>) {
            return v.toString();
        }
        return String.valueOf(v);
    }

    private static String stripZeros(double d) {
        return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /** Wide tables (many metrics) scroll sideways instead of widening the page. */
    private static String wrap(String table) {
        return "<div class=\"table-wrap\">\n" + table + "</div>\n";
    }

    private static String section(String id, String heading, String note, String body) {
        return "<section id=\"" + id + "\">\n<h2>" + escape(heading) + "</h2>\n" + (note == null ? "" : "<p class=\"note\">" + escape(note) + "</p>\n")
            + body + "</section>\n";
    }
}
