package org.recommender.tools.cli;

import org.recommender.tools.eval.EvaluationReport;
import org.recommender.tools.report.HtmlReport;
import org.recommender.tools.report.ReportJson;

import java.io.IOException;
import java.nio.file.Path;

/** Where {@code evaluate} writes its report and in which files. */
final class ReportFiles {
    static final String JSON = "report.json";
    static final String HTML = "report.html";

    private ReportFiles() {}

    static void write(EvaluationReport report, Path dir) throws IOException {
        ReportJson.write(dir.resolve(JSON), report);
        HtmlReport.write(dir.resolve(HTML), report);
    }
}
