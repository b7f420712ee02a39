package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.recommender.tools.eval.EvaluationReport;

import java.io.IOException;
import java.nio.file.Path;

/** Where {@code evaluate} writes its report and in which files. */
final class ReportFiles {
    static final String JSON = "report.json";
    static final String HTML = "report.html";

    private ReportFiles() {}

    static void write(EvaluationReport report, Path dir) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(JSON).toFile(), report);
    }
}
