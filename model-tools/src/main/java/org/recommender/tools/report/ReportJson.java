package org.recommender.tools.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.recommender.tools.eval.EvaluationReport;
import org.recommender.tools.eval.MetricSummary;
import org.recommender.tools.eval.RunResult;

/**
 * {@code report.json}: an {@link EvaluationReport} as pretty-printed JSON with snake_case names, plus the per-model summary (mean,
 * std, runs of each metric) so that scripts comparing evaluations need not recompute it. The summary is derived from the runs,
 * so reading ignores it and the report recomputes it.
 *
 * <p>Non-finite numbers (a NaN metric) are written as the strings {@code "NaN"}, {@code "Infinity"}: JSON has no such numbers,
 * and Jackson reads the strings back as the doubles.
 */
public final class ReportJson {
    /** Identifies the document, in case its shape changes later. */
    static final String FORMAT = "model-tools-evaluation-report/1";

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT)
        // a newer writer may add fields; an older reader should still load what it knows
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ReportJson() {}

    /** The file's shape: the report's fields in a fixed order, with the summary between the settings and the runs. */
    @JsonPropertyOrder({ "format", "dataset", "protocol", "description", "settings", "ks", "metrics", "summary", "runs" })
    private record Document(String format, String dataset, String protocol, String description, Map<String, Object> settings,
        List<Integer> ks, List<String> metrics, Map<String, Map<String, MetricSummary>> summary, List<RunResult> runs) {}

    /** Writes {@code report} to {@code file}, replacing it. */
    public static void write(Path file, EvaluationReport report) throws IOException {
        MAPPER.writeValue(file.toFile(), document(report));
    }

    /** @return {@code report} as JSON text */
    public static String toJson(EvaluationReport report) throws IOException {
        return MAPPER.writeValueAsString(document(report));
    }

    /** @return the report stored in {@code file} */
    public static EvaluationReport read(Path file) throws IOException {
        return report(MAPPER.readValue(file.toFile(), Document.class));
    }

    /** @return the report in {@code json} */
    public static EvaluationReport fromJson(String json) throws IOException {
        return report(MAPPER.readValue(json, Document.class));
    }

    private static Document document(EvaluationReport r) {
        return new Document(FORMAT, r.dataset(), r.protocol(), r.description(), r.settings(), r.ks(), r.metricNames(), r.summary(), r.runs());
    }

    private static EvaluationReport report(Document d) throws IOException {
        if (d.format() != null && !d.format().equals(FORMAT)) {
            throw new IOException("not a " + FORMAT + " document: format is " + d.format());
        }
        return new EvaluationReport(d.dataset(), d.protocol(), d.description(), d.settings(), d.ks(), d.runs() == null ? List.of() : d.runs());
    }
}
