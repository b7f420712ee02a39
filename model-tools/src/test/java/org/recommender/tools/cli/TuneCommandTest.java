package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.tools.tune.ChosenSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * rating-kfold tunes nested: every outer fold lists its trials (each with its inner-fold RMSEs), its choice (the
     * lowest mean inner RMSE) and its one test; the summary is the mean ± sd of the outer tests; evaluate reads the
     * written setting back.
     */
    @Test
    void ratingKFoldTunesNestedAndReportsEveryOuterFold() throws IOException {
        Path csv = generate();
        Path out = dir.resolve("nested");
        CliRun t = CliRun.of("tune", "--data", csv.toString(), "--protocol", "rating-kfold", "--algorithm", "svd", "--folds", "3", "--inner-folds", "2",
            "--trials", "3", "--dims", "8", "--seed", "2", "--out", out.toString(), "-q");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("fold 3/3 trial 3 (setting 3)"), t.err());
        assertTrue(t.err().contains("searching on 2 inner folds"), t.err());
        assertTrue(t.out().contains("nested 3-fold test"), t.out());
        JsonNode tune = JSON.readTree(out.resolve("tune.json").toFile());
        assertEquals("model-tools-tune-nested/1", tune.get("format").asText());
        assertEquals(3, tune.get("outer_folds").size());
        assertEquals(2, tune.get("search").get("inner_folds").asInt());
        assertTrue(tune.get("search").get("selected_on").asText().startsWith("mean validation rmse over 2 inner folds"), tune.toString());
        List<Double> tests = new ArrayList<>();
        for (JsonNode fold : tune.get("outer_folds")) {
            assertEquals(3, fold.get("trials").size());
            double best = Double.POSITIVE_INFINITY;
            for (JsonNode trial : fold.get("trials")) {
                JsonNode inner = trial.get("inner_rmse");
                assertEquals(2, inner.size());
                assertEquals((inner.get(0).asDouble() + inner.get(1).asDouble()) / 2, trial.get("validation_rmse").asDouble(), 1e-12);
                assertTrue(trial.get("settings").has("epochs") && trial.get("settings").has("learning_rate"), "epochs searched without --epochs");
                assertEquals(trial.get("settings").get("epochs").asInt(), trial.get("epoch_budget").asInt());
                best = Math.min(best, trial.get("validation_rmse").asDouble());
            }
            assertEquals(best, fold.get("chosen").get("validation_rmse").asDouble(), "lower RMSE is better");
            assertEquals(fold.get("chosen").get("settings").get("epochs").asInt(), fold.get("test").get("epochs").asInt(),
                "the choice retrained with its own epochs");
            tests.add(fold.get("test").get("metrics").get("rmse").asDouble());
        }
        double mean = tests.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(mean, tune.get("test_summary").get("rmse").get("mean").asDouble(), 1e-12);
        assertEquals(3, tune.get("test_summary").get("rmse").get("runs").asInt());
        assertTrue(tune.get("wall_seconds").asDouble() > 0);

        ChosenSettings chosen = ChosenSettings.read(out.resolve(ChosenSettings.FILE));
        assertEquals("svd", chosen.algorithm());
        assertEquals("8", chosen.parameters().get("dims"));
        assertEquals(tune.get("chosen").get("settings").get("epochs").asText(), chosen.parameters().get("epochs"));
        assertTrue(chosen.selection().contains("nested in rating-kfold"), chosen.selection());
        assertTrue(tune.get("chosen").get("chosen_on_folds").asInt() >= 1);

        Path eval = dir.resolve("nested-eval");
        CliRun e = CliRun.of("evaluate", "--data", csv.toString(), "--protocol", "rating-kfold", "--folds", "3", "--settings",
            out.resolve(ChosenSettings.FILE).toString(), "--out", eval.toString(), "-q");
        assertEquals(0, e.code(), e.err());
        JsonNode report = JSON.readTree(eval.resolve("report.json").toFile());
        for (JsonNode run : report.get("runs")) {
            assertEquals("svd", run.get("model").asText());
            assertEquals(Integer.parseInt(chosen.parameters().get("epochs")), run.get("parameters").get("epochs").asInt());
        }
    }

    @Test
    void refusesWhatItCannotSelectHonestly() {
        CliRun ranking = CliRun.of("tune", "--data", "missing.csv", "--algorithm", "ease", "--protocol", "rating-kfold", "--out", dir.toString());
        assertEquals(2, ranking.code());
        assertTrue(ranking.errLine().contains("does not predict ratings"), ranking.errLine());
        CliRun inner = CliRun.of("tune", "--data", "missing.csv", "--algorithm", "svd", "--protocol", "rating-kfold", "--inner-folds", "1", "--out",
            dir.toString());
        assertEquals(2, inner.code());
        assertTrue(inner.errLine().contains("--inner-folds"), inner.errLine());
        // options the chosen protocol would ignore
        CliRun patience = CliRun.of("tune", "--data", "missing.csv", "--algorithm", "svd", "--protocol", "rating-kfold", "--patience", "4", "--out",
            dir.toString());
        assertEquals(2, patience.code());
        assertTrue(patience.errLine().contains("--patience applies to the ranking protocols"), patience.errLine());
        CliRun folds = CliRun.of("tune", "--data", "missing.csv", "--algorithm", "ease", "--folds", "3", "--out", dir.toString());
        assertEquals(2, folds.code());
        assertTrue(folds.errLine().contains("--folds applies to --protocol rating-kfold only"), folds.errLine());
        // the options of another protocol, refused by the rule evaluate follows (they were read and ignored here)
        CliRun negatives = CliRun.of("tune", "--data", "missing.csv", "--algorithm", "ease", "--negatives", "50", "--out", dir.toString());
        assertEquals(2, negatives.code());
        assertTrue(negatives.errLine().contains("--negatives applies to --protocol ncf only"), negatives.errLine());
        CliRun split = CliRun.of("tune", "--data", "missing.csv", "--algorithm", "svd", "--protocol", "rating-kfold", "--split", "0.7,0.1,0.2",
            "--out", dir.toString());
        assertEquals(2, split.code());
        assertTrue(split.errLine().contains("--split applies to --protocol random and temporal only"), split.errLine());
        CliRun halving = CliRun.of("tune", "--data", "missing.csv", "--algorithm", "ease", "--search", "halving", "--out", dir.toString());
        assertEquals(2, halving.code());
        assertTrue(halving.errLine().contains("closed form"), halving.errLine());
    }

    /** -P epochs / -P dims would silently override every trial's budget: refused, naming the option to use. */
    @Test
    void refusesEpochsAndDimsGivenAsParameters() {
        Path csv = generate();
        for (String name : new String[] { "epochs", "dims" }) {
            CliRun t = CliRun.of("tune", "--data", csv.toString(), "--algorithm", "bpr", "--trials", "2", "--epochs", "3", "-P", name + "=30",
                "--out", dir.resolve("tune-" + name).toString(), "-q");
            assertEquals(2, t.code(), t.err());
            assertTrue(t.errLine().contains("use --" + name), t.errLine());
        }
    }
}
