package org.recommender.tools.report;

import static org.recommender.tools.report.Text.escape;

import java.util.List;
import org.recommender.tools.eval.EvaluationReport;
import org.recommender.tools.eval.RunResult;

/** The closing table: every run on its own line, for the reader who wants the numbers behind the means. */
final class RunTable {
    private RunTable() {}

    /** @return the table as HTML */
    static String html(EvaluationReport report) {
        List<String> metrics = report.metricNames();
        StringBuilder out = new StringBuilder("<table class=\"runs\">\n<thead><tr><th>model</th><th class=\"num\">seed</th>")
            .append("<th class=\"num\">train s</th><th class=\"num\">epochs</th><th class=\"num\">best epoch</th>")
            .append("<th class=\"num\">users evaluated</th>");
        metrics.forEach(m -> out.append("<th class=\"num\">").append(escape(m)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        for (RunResult run : report.runs()) {
            out.append("<tr><th scope=\"row\">").append(escape(run.model())).append("</th>");
            num(out, run.seed() == null ? "—" : Long.toString(run.seed()));
            num(out, Text.fixed(run.trainSeconds(), 2));
            num(out, Integer.toString(run.epochs()));
            // 0 means "no early stopping", not "epoch zero"
            num(out, run.bestEpoch() > 0 ? Integer.toString(run.bestEpoch()) : Text.MISSING);
            num(out, Integer.toString(run.usersEvaluated()));
            for (String metric : metrics) {
                Double v = run.metrics() == null ? null : run.metrics().get(metric);
                num(out, v == null ? Text.MISSING : Text.metric(v));
            }
            out.append("</tr>\n");
        }
        return out.append("</tbody>\n</table>\n").toString();
    }

    private static void num(StringBuilder out, String text) {
        out.append("<td class=\"num\">").append(text).append("</td>");
    }
}
