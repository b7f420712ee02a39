package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.tools.tune.ChosenSettings;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tune} as a user runs it: trial lines, tune.json, chosen.json, and {@code evaluate --settings} reusing it. */
class TuneCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path generate() {
        Path csv = dir.resolve("data.csv");
        CliRun g = CliRun.of("generate", "--users", "300", "--items", "120", "--interactions-per-user", "12", "--clusters", "6", "--seed", "3",
            "--out", csv.toString());
        assertEquals(0, g.code(), g.err());
        return csv;
    }

    @Test
    void tuneWritesEveryTrialAndTheChoiceAndEvaluateReusesIt() throws IOException {
        Path csv = generate();
        Path out = dir.resolve("tune");
        CliRun t = CliRun.of("tune", "--data", csv.toString(), "--algorithm", "bpr", "--trials", "4", "--epochs", "6", "--dims", "8", "--seed", "2",
            "--out", out.toString(), "-q");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("trial 4 (setting 4)"), t.err());
        assertTrue(t.out().contains("tested once"), t.out());
        JsonNode tune = JSON.readTree(out.resolve("tune.json").toFile());
        assertEquals(4, tune.get("trials").size());
        double best = Double.NEGATIVE_INFINITY;
        for (JsonNode trial : tune.get("trials")) {
            best = Math.max(best, trial.get("validation_ndcg@10").asDouble());
            assertTrue(trial.get("settings").has("learning_rate") && trial.get("settings").has("regularization"), trial.toString());
            assertTrue(trial.has("seconds") && trial.has("epochs") && trial.has("kept_epoch"), trial.toString());
        }
        assertEquals(best, tune.get("chosen").get("validation_ndcg@10").asDouble(), "the chosen trial is the best on validation");
        assertTrue(tune.get("test").get("metrics").has("ndcg@10"), tune.toString());
        assertTrue(tune.get("search").get("selected_on").asText().startsWith("validation ndcg@10"));

        ChosenSettings chosen = ChosenSettings.read(out.resolve(ChosenSettings.FILE));
        assertEquals("bpr", chosen.algorithm());
        assertEquals("8", chosen.parameters().get("dims"));
        assertEquals("6", chosen.parameters().get("epochs"));
        JsonNode chosenTrial = tune.get("trials").get(tune.get("chosen").get("trial").asInt() - 1);
        assertEquals(chosenTrial.get("settings").get("learning_rate").asText(), chosen.parameters().get("learning_rate"));

        Path eval = dir.resolve("eval");
        CliRun e = CliRun.of("evaluate", "--data", csv.toString(), "--settings", out.resolve(ChosenSettings.FILE).toString(), "--out", eval.toString(),
            "-q");
        assertEquals(0, e.code(), e.err());
        JsonNode report = JSON.readTree(eval.resolve("report.json").toFile());
        assertTrue(report.get("settings").get("settings_chosen").asText().startsWith("bpr: tune random search"), report.get("settings").toString());
        for (JsonNode run : report.get("runs")) {
            assertTrue(run.get("model").asText().equals("bpr") || run.get("model").asText().equals("popularity"), "only the tuned algorithm and "
                + "popularity: " + run.get("model"));
            if (run.get("model").asText().equals("bpr")) {
                assertEquals(Double.parseDouble(chosen.parameters().get("learning_rate")), run.get("parameters").get("learning_rate").asDouble());
                assertEquals(8, run.get("parameters").get("dims").asInt());
            }
        }
    }

    @Test
    void refusesWhatItCannotSelectHonestly() {
        CliRun kfold = CliRun.of("tune", "--data", "missing.csv", "--algorithm", "svd", "--protocol", "rating-kfold", "--out", dir.toString());
        assertEquals(2, kfold.code());
        assertTrue(kfold.errLine().contains("rating-kfold has none"), kfold.errLine());
        CliRun halving = CliRun.of("tune", "--data", "missing.csv", "--algorithm", "ease", "--search", "halving", "--out", dir.toString());
        assertEquals(2, halving.code());
        assertTrue(halving.errLine().contains("closed form"), halving.errLine());
    }
}
