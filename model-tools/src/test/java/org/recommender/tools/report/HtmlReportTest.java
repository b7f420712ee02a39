package org.recommender.tools.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recommender.tools.eval.EvaluationReport;
import org.recommender.tools.eval.RunResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {
    private static final Instant DATE = Instant.parse("2025-03-04T05:06:07Z");
    private Locale saved;

    @BeforeEach
    void decimalCommaLocale() {
        // a locale that writes 0,5: the report must not follow it
        saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
    }

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(saved);
    }

    @Test
    void everySvgAndTheWholePageParseAsXml() throws Exception {
        String html = HtmlReport.render(Reports.twoModelsTwoSeeds(), DATE);
        List<String> svgs = svgs(html);
        // hr@K, ndcg@K, loss, validation, 2 score distributions, coverage, novelty
        assertEquals(8, svgs.size(), "charts drawn");
        for (String svg : svgs) {
            Element root = parse(svg).getDocumentElement();
            assertEquals("svg", root.getLocalName());
            assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        }
        parse(html);
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(Pattern.compile("(src|href)=\"(?!#)").matcher(html).find(), "nothing fetched from elsewhere");
    }

    @Test
    void summaryCellsShowMeanStdAndRunsWithTheLocaleIgnored() throws Exception {
        Document page = parse(HtmlReport.render(Reports.twoModelsTwoSeeds(), DATE));
        assertEquals("0.5500 ± 0.0707 (2)", summaryCell(page, "bpr", "hr@10"));
        assertEquals("0.3000 ± 0.0000 (2)", summaryCell(page, Reports.ODD_MODEL, "hr@10"));
        assertEquals("1.0000 ± 0.1414 (2)", summaryCell(page, "bpr", "rmse"));
        assertEquals("—", summaryCell(page, Reports.ODD_MODEL, "auc"), "a NaN mean shows as a dash");
        assertEquals("14.0000 ± 0.7071 (2)", summaryCell(page, "bpr", "train s"));
    }

    @Test
    void aSingleRunShowsOnlyItsMean() throws Exception {
        EvaluationReport two = Reports.twoModelsTwoSeeds();
        EvaluationReport one = new EvaluationReport(two.dataset(), two.protocol(), two.description(), two.settings(), two.ks(),
            two.runs().subList(0, 1));
        assertEquals("0.5000", summaryCell(parse(HtmlReport.render(one, DATE)), "bpr", "hr@10"));
    }

    @Test
    void theBestMeanOfEachColumnIsBoldLowestForErrors() throws Exception {
        Document page = parse(HtmlReport.render(Reports.twoModelsTwoSeeds(), DATE));
        assertTrue(bold(page, "bpr", "hr@10"));
        assertFalse(bold(page, Reports.ODD_MODEL, "hr@10"));
        assertTrue(bold(page, Reports.ODD_MODEL, "rmse"), "rmse: lower is better");
        assertFalse(bold(page, "bpr", "rmse"));
        assertTrue(bold(page, "bpr", "auc"), "the only finite value is the best");
        assertFalse(bold(page, Reports.ODD_MODEL, "auc"));
        assertFalse(bold(page, "bpr", "train s"), "time is not a metric to win");
    }

    @Test
    void tiesAreAllBold() throws Exception {
        Document page = parse(HtmlReport.render(Reports.twoModelsTwoSeeds(), DATE));
        // nobody ties in the fixture, so check the rule on a column where both have the same mean
        EvaluationReport r = Reports.twoModelsTwoSeeds();
        List<RunResult> runs = new ArrayList<>();
        for (RunResult run : r.runs()) {
            runs.add(new RunResult(run.model(), run.seed(), run.parameters(), Map.of("hr@10", 0.5), run.usersEvaluated(), run.trainSeconds(), run.epochs(),
                run.bestEpoch(), run.loss(), run.validation(), run.positiveScores(), run.negativeScores()));
        }
        Document tied = parse(HtmlReport.render(new EvaluationReport("d", "p", "", Map.of(), List.of(10), runs), DATE));
        assertTrue(bold(tied, "bpr", "hr@10"));
        assertTrue(bold(tied, Reports.ODD_MODEL, "hr@10"));
        assertFalse(bold(page, Reports.ODD_MODEL, "hr@10"));
    }

    @Test
    void namesAndPathsAreEscaped() throws Exception {
        String html = HtmlReport.render(Reports.twoModelsTwoSeeds(), DATE);
        assertFalse(html.contains(Reports.ODD_MODEL), "raw a<b&c");
        assertFalse(html.contains(Reports.ODD_DATASET), "raw dataset path");
        assertTrue(html.contains("a&lt;b&amp;c"));
        assertTrue(html.contains("data/&quot;ml&quot; &lt;100k&gt;.csv"));
        Document page = parse(html);
        assertEquals(Reports.ODD_DATASET + ": ncf protocol", text(page, "//h1"));
        // the model also names a legend entry and a score chart: the SVG text must read back unchanged
        assertTrue(text(page, "//*[local-name()='svg']//*[local-name()='text'][.='a<b&c']").equals(Reports.ODD_MODEL));
    }

    @Test
    void headerListsSettingsAndTheDate() throws Exception {
        Document page = parse(HtmlReport.render(Reports.twoModelsTwoSeeds(), DATE));
        assertEquals("0.2", text(page, "//table[@class='settings']//tr[th='test_ratio']/td"));
        assertEquals("[5, 10, 20]", text(page, "//table[@class='settings']//tr[th='cut-offs K']/td"));
        assertTrue(text(page, "//p[@class='meta']").contains("2025-03-04 05:06 UTC"));
    }

    @Test
    void usersEvaluatedAreShownButAreNoMetricColumn() throws Exception {
        Document page = parse(HtmlReport.render(Reports.twoModelsTwoSeeds(), DATE));
        assertEquals("900", text(page, "//table[@class='settings']//tr[th='users evaluated']/td"));
        assertEquals("943", text(page, "//table[@class='settings']//tr[th='users']/td"), "the data's count stays a setting");
        assertEquals(0.0, (Double) XPathFactory.newInstance().newXPath().evaluate(
            "count(//table[@class='summary']/thead/tr/th[.='users' or .='users evaluated'])", page, XPathConstants.NUMBER));
        assertEquals("900", text(page, "//table[@class='runs']/tbody/tr[1]/td[5]"), "users evaluated by bpr seed 1");
        // folds of different sizes: the header gives the range
        List<RunResult> runs = new ArrayList<>();
        int users = 10;
        for (RunResult run : Reports.twoModelsTwoSeeds().runs()) {
            runs.add(new RunResult(run.model(), run.seed(), run.parameters(), run.metrics(), users++, run.trainSeconds(), run.epochs(),
                run.bestEpoch(), run.loss(), run.validation(), run.positiveScores(), run.negativeScores()));
        }
        Document folds = parse(HtmlReport.render(new EvaluationReport("d", "p", "", Map.of(), List.of(10), runs), DATE));
        assertEquals("10–13", text(folds, "//table[@class='settings']//tr[th='users evaluated']/td"));
    }

    @Test
    void runTableHasEveryRun() throws Exception {
        Document page = parse(HtmlReport.render(Reports.twoModelsTwoSeeds(), DATE));
        NodeList rows = (NodeList) XPathFactory.newInstance().newXPath().evaluate("//table[@class='runs']/tbody/tr", page, XPathConstants.NODESET);
        assertEquals(4, rows.getLength());
        assertEquals("13.50", text(page, "//table[@class='runs']/tbody/tr[1]/td[2]"), "train seconds of bpr seed 1");
        assertEquals("3", text(page, "//table[@class='runs']/tbody/tr[1]/td[4]"), "best epoch");
        assertEquals("—", text(page, "//table[@class='runs']/tbody/tr[2]/td[4]"), "no early stopping");
    }

    @Test
    void aModelThatUsesNoSeedIsNotLabelledWithOne() throws Exception {
        List<RunResult> runs = new ArrayList<>(Reports.twoModelsTwoSeeds().runs());
        RunResult first = runs.get(0);
        runs.set(0, new RunResult(first.model(), null, first.parameters(), first.metrics(), first.usersEvaluated(), first.trainSeconds(),
            first.epochs(), first.bestEpoch(), first.loss(), first.validation(), first.positiveScores(), first.negativeScores()));
        String html = HtmlReport.render(new EvaluationReport("d", "p", "", Map.of(), List.of(5, 10, 20), runs), DATE);
        Document page = parse(html);
        assertEquals("—", text(page, "//table[@class='runs']/tbody/tr[1]/td[1]"), "no seed");
        assertEquals("1", text(page, "//table[@class='runs']/tbody/tr[2]/td[1]"), "the other model's seed");
        assertFalse(html.contains("bpr (seed 1)"), "no chart names a seed the run did not use");
        assertTrue(html.contains("c (seed 1)"), "a seeded model's charts still name its seed");
    }

    @Test
    void fewerThanThreeCutOffsDrawNoCurveAndSaySo() throws Exception {
        List<RunResult> runs = new ArrayList<>();
        for (RunResult run : Reports.twoModelsTwoSeeds().runs()) {
            Map<String, Double> metrics = new java.util.LinkedHashMap<>(run.metrics());
            metrics.keySet().removeIf(name -> name.endsWith("@20"));
            runs.add(new RunResult(run.model(), run.seed(), run.parameters(), metrics, run.usersEvaluated(), run.trainSeconds(), run.epochs(),
                run.bestEpoch(), run.loss(), run.validation(), run.positiveScores(), run.negativeScores()));
        }
        Document two = parse(HtmlReport.render(new EvaluationReport("d", "p", "", Map.of(), List.of(5, 10), runs), DATE));
        assertEquals(0.0, (Double) XPathFactory.newInstance().newXPath().evaluate(
            "count(//section[@id='curves']//*[local-name()='svg'])", two, XPathConstants.NUMBER));
        assertTrue(text(two, "//section[@id='curves']/p[@class='note']").contains("fewer than 3 cut-offs"));
        Document three = parse(HtmlReport.render(Reports.twoModelsTwoSeeds(), DATE));
        assertTrue((Double) XPathFactory.newInstance().newXPath().evaluate(
            "count(//section[@id='curves']//*[local-name()='svg'])", three, XPathConstants.NUMBER) > 0, "three cut-offs draw curves");
    }

    @Test
    void emptyAndBrokenReportsStillRender() throws Exception {
        Document empty = parse(HtmlReport.render(new EvaluationReport("d", "p", null, Map.of(), List.of(), List.of()), DATE));
        assertEquals(0, svgs(HtmlReport.render(new EvaluationReport("d", "p", null, Map.of(), List.of(), List.of()), DATE)).size());
        assertEquals("—", text(empty, "//section[@id='curves']/p[@class='none']"));

        List<Double> nanLoss = new ArrayList<>();
        nanLoss.add(Double.NaN);
        nanLoss.add(null);
        RunResult odd = new RunResult("m", 1L, Map.of(), Map.of("hr@10", Double.NaN, "rmse", Double.POSITIVE_INFINITY), 7, Double.NaN, 2, 9, nanLoss,
            List.of(), null, null);
        String html = HtmlReport.render(new EvaluationReport("d", "p", "", Map.of("x", Double.NaN), List.of(10), List.of(odd)), DATE);
        Document page = parse(html);
        assertEquals("—", summaryCell(page, "m", "hr@10"));
        assertEquals("—", summaryCell(page, "m", "rmse"));
        assertFalse(html.contains("NaN"), "no raw NaN shown");
        assertFalse(html.contains("Infinity"));
    }

    // ---- helpers

    private static List<String> svgs(String html) {
        Matcher m = Pattern.compile("<svg[\\s>].*?</svg>", Pattern.DOTALL).matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document page, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, page).trim();
    }

    /** The cell of {@code model}'s row under the heading {@code column} of the summary table. */
    private static Element cell(Document page, String model, String column) throws Exception {
        var xp = XPathFactory.newInstance().newXPath();
        int index = ((Number) xp.evaluate("count(//table[@class='summary']/thead/tr/th[.='" + column + "']/preceding-sibling::th)", page,
            XPathConstants.NUMBER)).intValue();
        assertTrue(index > 0, "no column " + column);
        NodeList rows = (NodeList) xp.evaluate("//table[@class='summary']/tbody/tr", page, XPathConstants.NODESET);
        for (int i = 0; i < rows.getLength(); i++) {
            Element row = (Element) rows.item(i);
            if (row.getElementsByTagName("th").item(0).getTextContent().equals(model)) {
                return (Element) row.getElementsByTagName("td").item(index - 1);
            }
        }
        throw new AssertionError("no row " + model);
    }

    private static String summaryCell(Document page, String model, String column) throws Exception {
        return cell(page, model, column).getTextContent();
    }

    private static boolean bold(Document page, String model, String column) throws Exception {
        return cell(page, model, column).getElementsByTagName("b").getLength() > 0;
    }
}
