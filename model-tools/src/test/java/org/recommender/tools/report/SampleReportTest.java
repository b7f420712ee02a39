package org.recommender.tools.report;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a check: writes the fixture's report for a person to open, e.g.
 * {@code mvn -pl model-tools test -Dtest=SampleReportTest -Dreport.sample=/tmp/report.html}.
 */
class SampleReportTest {
    @Test
    @EnabledIfSystemProperty(named = "report.sample", matches = ".+")
    void writeSample() throws Exception {
        Path html = Path.of(System.getProperty("report.sample"));
        HtmlReport.write(html, Reports.twoModelsTwoSeeds());
        ReportJson.write(html.resolveSibling(html.getFileName().toString().replaceAll("\\.html$", "") + ".json"), Reports.twoModelsTwoSeeds());
    }
}
