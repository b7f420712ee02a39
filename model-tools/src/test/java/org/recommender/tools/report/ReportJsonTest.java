package org.recommender.tools.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.tools.eval.EvaluationReport;
import org.recommender.tools.eval.Histogram;
import org.recommender.tools.eval.RunResult;

class ReportJsonTest {
    @Test
    void roundTripsThroughAFile(@TempDir Path dir) throws IOException {
        EvaluationReport report = Reports.twoModelsTwoSeeds();
        Path file = dir.resolve("report.json");
        ReportJson.write(file, report);
        assertSame(report, ReportJson.read(file));
        // and the file it would write again is the same text
        assertEquals(Files.readString(file), ReportJson.toJson(ReportJson.read(file)));
    }

    @Test
    void usesSnakeCaseAndCarriesTheSummary() throws IOException {
        String json = ReportJson.toJson(Reports.twoModelsTwoSeeds());
        assertTrue(json.contains("\n  \""), "pretty-printed");
        JsonNode root = new ObjectMapper().readTree(json);
        JsonNode run = root.get("runs").get(0);
        for (String field : new String[] { "train_seconds", "best_epoch", "positive_scores", "negative_scores", "validation", "loss", "users_evaluated" }) {
            assertTrue(run.has(field), field);
        }
        assertEquals(0.2, run.get("metrics").get("coverage@10").asDouble(), 1e-12, "metric names are kept as they are");
        assertEquals(Reports.USERS_EVALUATED, run.get("users_evaluated").asInt());
        assertFalse(root.get("metrics").toString().contains("users"), "the user count is no metric: " + root.get("metrics"));
        JsonNode hr = root.get("summary").get("bpr").get("hr@10");
        assertEquals(0.55, hr.get("mean").asDouble(), 1e-12);
        assertEquals(Math.sqrt(0.005), hr.get("std").asDouble(), 1e-12);
        assertEquals(2, hr.get("runs").asInt());
        assertEquals("NaN", root.get("summary").get(Reports.ODD_MODEL).get("auc").get("mean").asText(), "NaN is written as a string");
        assertEquals(ReportJson.FORMAT, root.get("format").asText());
    }

    @Test
    void refusesAnotherFormat() {
        assertThrows(IOException.class, () -> ReportJson.fromJson("{\"format\": \"something-else/9\", \"runs\": []}"));
    }

    /** Records compare arrays by identity, so the histograms are compared by content here. */
    private static void assertSame(EvaluationReport expected, EvaluationReport actual) {
        assertEquals(expected.dataset(), actual.dataset());
        assertEquals(expected.protocol(), actual.protocol());
        assertEquals(expected.description(), actual.description());
        assertEquals(expected.settings(), actual.settings());
        assertEquals(expected.ks(), actual.ks());
        assertEquals(expected.summary(), actual.summary());
        assertEquals(expected.runs().size(), actual.runs().size());
        for (int i = 0; i < expected.runs().size(); i++) {
            RunResult e = expected.runs().get(i);
            RunResult a = actual.runs().get(i);
            assertEquals(withoutHistograms(e), withoutHistograms(a), "run " + i);
            assertSameHistogram(e.positiveScores(), a.positiveScores());
            assertSameHistogram(e.negativeScores(), a.negativeScores());
        }
    }

    private static RunResult withoutHistograms(RunResult r) {
        return new RunResult(r.model(), r.seed(), r.parameters(), r.metrics(), r.usersEvaluated(), r.trainSeconds(), r.epochs(), r.bestEpoch(), r.loss(), r.validation(),
            null, null);
    }

    private static void assertSameHistogram(Histogram e, Histogram a) {
        if (e == null) {
            assertNull(a);
            return;
        }
        assertEquals(e.min(), a.min());
        assertEquals(e.max(), a.max());
        assertArrayEquals(e.counts(), a.counts());
    }
}
