package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.tools.data.SyntheticConfig;
import org.recommender.tools.data.SyntheticInteractions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code model-tools evaluate} end to end on generated data: every protocol, the report files, the errors. */
class EvaluateCommandTest {
    @TempDir
    Path dir;

    private Path generated() {
        Path csv = dir.resolve("data.csv");
        CliRun g = CliRun.of("generate", "--users", "300", "--items", "120", "--interactions-per-user", "12", "--clusters", "6", "--seed", "3",
            "--out", csv.toString());
        assertEquals(0, g.code(), g.err());
        return csv;
    }

    private static JsonNode summary(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("summary");
    }

    @Test
    void randomSplitWithSeedsWritesBothReportsAndBprBeatsPopularity() throws IOException {
        Path out = dir.resolve("eval");
        CliRun r = CliRun.of("evaluate", "--data", generated().toString(), "--protocol", "random", "--algorithms", "bpr,ials", "--seeds", "1,2",
            "--dims", "8", "--epochs", "30", "--k", "5,10", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        JsonNode s = summary(out);
        assertEquals(2, s.get("bpr").get("ndcg@10").get("runs").asInt(), "two seeds");
        assertEquals(1, s.get("popularity").get("ndcg@10").get("runs").asInt(), "popularity ignores the seed: trained once");
        assertTrue(s.get("ials").get("recall@10").get("mean").asDouble() > s.get("popularity").get("recall@10").get("mean").asDouble(), s.toString());
        assertTrue(s.get("bpr").has("coverage@5") && s.get("bpr").has("novelty@10") && s.get("bpr").has("auc"), s.toString());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("ials"), "the HTML report has charts and names the models");
        assertTrue(r.out().contains("per-user random split 80/10/10"), r.out());
        JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("validation ndcg@10, patience 10", report.get("settings").get("early_stopping").asText(), report.get("settings").toString());
    }

    /** EASE's native phases print nothing while they run, so each is announced as it starts, the memory need first. */
    @Test
    void easeAnnouncesItsMemoryNeedAndEachPhase() throws IOException {
        Path out = dir.resolve("ease");
        CliRun r = CliRun.of("evaluate", "--data", generated().toString(), "--protocol", "random", "--algorithms", "ease", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String err = r.err();
        int memory = err.indexOf("ease: 120 items: needs 0.00 GB (120² × 4 bytes × 2 matrices)");
        int factor = err.indexOf("ease: Cholesky factor (LAPACK spotrf) (at ");
        int inverse = err.indexOf("ease: inverse from the factor (LAPACK spotri) (at ");
        int weights = err.indexOf("ease: weights B");
        assertTrue(memory >= 0 && memory < factor && factor < inverse && inverse < weights, err);
    }

    @Test
    void noEarlyStoppingTrainsEveryEpochAndKeepsTheLast() throws IOException {
        Path out = dir.resolve("every");
        CliRun r = CliRun.of("evaluate", "--data", generated().toString(), "--protocol", "random", "--algorithms", "bpr", "--dims", "8",
            "--epochs", "4", "--no-early-stopping", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("report.json").toFile());
        for (JsonNode run : report.get("runs")) {
            if (run.get("model").asText().equals("bpr")) {
                assertEquals(4, run.get("epochs").asInt(), run.toString());
                assertEquals(0, run.get("best_epoch").asInt(), run.toString());
            }
        }
        assertTrue(report.get("settings").get("early_stopping").asText().startsWith("none"), report.get("settings").toString());
    }

    @Test
    void ratingKfoldMeasuresRmseOfRatingModelsOnly() throws IOException {
        Path out = dir.resolve("rating");
        Path csv = PlantedRatings.write(dir);
        CliRun r = CliRun.of("evaluate", "--data", csv.toString(), "--protocol", "rating-kfold", "--folds", "3", "--algorithms", "svd,als,bpmf",
            "--dims", "4", "--epochs", "20", "-P", "bpmf.epochs=30", "-P", "bpmf.burn_in=10", "--seeds", "1,2", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        // predicting the mean rating everywhere scores the ratings' standard deviation; the planted item qualities
        // and user offsets let a working rating model do far better
        double spread = PlantedRatings.spread(csv);
        for (String algorithm : List.of("als", "svd", "bpmf")) {
            JsonNode rmse = summary(out).get(algorithm).get("rmse");
            assertEquals(6, rmse.get("runs").asInt(), "3 folds x 2 seeds");
            assertTrue(rmse.get("mean").asDouble() < 0.6 * spread, algorithm + " " + rmse + " vs the ratings' standard deviation " + spread);
        }
        CliRun bad = CliRun.of("evaluate", "--data", csv.toString(), "--protocol", "rating-kfold", "--algorithms", "bpr", "--out", out.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.errLine().contains("bpr ranks items but does not predict ratings"), bad.errLine());
    }

    /** The NCF release's layout: a 0-based train.rating and a test.negative holding each user's test item and negatives. */
    @Test
    void ncfProtocolWithTheReleasesNegativesFile() throws IOException {
        Map<Integer, List<Integer>> byUser = new HashMap<>();
        new SyntheticInteractions(new SyntheticConfig(200, 150, 15, 6, 0.1, 1.0, 5)).generate((user, item, rating, time) ->
            byUser.computeIfAbsent(Integer.parseInt(user.substring(1)) - 1, u -> new ArrayList<>()).add(Integer.parseInt(item.substring(1)) - 1));
        StringBuilder train = new StringBuilder();
        StringBuilder negatives = new StringBuilder();
        SplittableRandom random = new SplittableRandom(1);
        for (int u = 0; u < 200; u++) {
            List<Integer> items = byUser.get(u);
            for (int k = 0; k < items.size() - 1; k++) {
                train.append(u).append('\t').append(items.get(k)).append("\t1\t").append(1000 + k).append('\n');
            }
            Set<Integer> seen = new HashSet<>(items);
            negatives.append('(').append(u).append(',').append(items.get(items.size() - 1)).append(')');
            for (int n = 0; n < 30; n++) {
                int j;
                do {
                    j = random.nextInt(150);
                } while (seen.contains(j));
                seen.add(j);
                negatives.append('\t').append(j);
            }
            negatives.append('\n');
        }
        Path trainFile = Files.writeString(dir.resolve("toy.train.rating"), train);
        Path negativesFile = Files.writeString(dir.resolve("toy.test.negative"), negatives);
        Path out = dir.resolve("ncf");
        CliRun r = CliRun.of("evaluate", "--data", trainFile.toString(), "--protocol", "ncf", "--negatives-file", negativesFile.toString(),
            "--algorithms", "bpr", "--dims", "8", "--epochs", "40", "--k", "10", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("read 200 test cases"), r.err());
        JsonNode s = summary(out);
        JsonNode runs = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("runs");
        assertEquals(2, runs.size(), "bpr and popularity");
        for (JsonNode run : runs) {
            assertEquals(200, run.get("users_evaluated").asInt(), run.get("model") + ": every test case of the file is evaluated");
            assertFalse(run.get("metrics").has("users"), "the user count is no metric");
        }
        double bpr = s.get("bpr").get("hr@10").get("mean").asDouble();
        double popularity = s.get("popularity").get("hr@10").get("mean").asDouble();
        assertTrue(bpr > popularity, bpr + " vs " + popularity);
        // 1 positive + 30 negatives: HR@10 of a random ranking is about 10/31; a trained model does better
        assertTrue(bpr > 0.45, "bpr HR@10 " + bpr);
    }

    @Test
    void badParametersFailFastWithOneLine() {
        CliRun r = CliRun.of("evaluate", "--data", "missing.csv", "--algorithms", "ials", "-P", "ials.alpah=3", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.errLine().contains("unknown parameter(s) [alpah] for --algorithm ials"), r.errLine());
        CliRun prefix = CliRun.of("evaluate", "--data", "missing.csv", "--algorithms", "ials", "-P", "bpr.learning_rate=3", "--out", dir.toString());
        assertEquals(2, prefix.code());
        assertTrue(prefix.errLine().contains("-P bpr.learning_rate must start with one of the evaluated algorithms"), prefix.errLine());
        CliRun protocol = CliRun.of("evaluate", "--data", "missing.csv", "--protocol", "leave-one-in", "--out", dir.toString());
        assertEquals(2, protocol.code());
        assertTrue(protocol.errLine().contains("unknown --protocol [leave-one-in]"), protocol.errLine());
    }

    /**
     * An option of another protocol was read and then ignored (a negatives file under random, --folds under ncf), and
     * a split without validation stopped every run at --patience epochs on NaN scores: each is refused before loading.
     */
    @Test
    void optionsThatWouldBeIgnoredAreRefused() {
        assertUsageError("--negatives-file applies to --protocol ncf only", "--protocol", "random", "--negatives-file", "n.txt");
        assertUsageError("--folds applies to --protocol rating-kfold only", "--protocol", "ncf", "--folds", "3");
        assertUsageError("--split applies to --protocol random and temporal only", "--protocol", "sequential", "--split", "0.8,0.1,0.1");
        assertUsageError("--split has no validation share", "--split", "0.9,0,0.1");
    }

    /** Runs {@code evaluate} on a file it never reaches with {@code options}: refused with exit 2, its one line naming {@code words}. */
    private void assertUsageError(String words, String... options) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--data", "missing.csv", "--out", dir.toString()));
        args.addAll(List.of(options));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.errLine().contains(words), r.errLine());
    }

    /**
     * A rating column named on the command line that the file lacks was read as absent (all ratings 1), and rating
     * prediction of all-alike ratings reported an RMSE near 0: both refused, naming what to change.
     */
    @Test
    void missingRatingsAreSaidNotAssumed() throws IOException {
        Path csv = generated();
        CliRun misspelt = CliRun.of("evaluate", "--data", csv.toString(), "--rating-column", "stars", "--algorithms", "popularity",
            "--out", dir.resolve("m").toString(), "-q");
        assertEquals(2, misspelt.code());
        assertTrue(misspelt.errLine().contains(csv + ":1: --rating-column [stars]: no such column; the header has "), misspelt.errLine());

        Path clicks = dir.resolve("clicks.csv");
        StringBuilder lines = new StringBuilder("user_id,item_id\n");
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i < 6; i++) {
                lines.append("u").append(u).append(",i").append((u + i * 7) % 40).append('\n');
            }
        }
        Files.writeString(clicks, lines.toString());
        CliRun kfold = CliRun.of("evaluate", "--data", clicks.toString(), "--protocol", "rating-kfold", "--algorithms", "svd",
            "--out", dir.resolve("r").toString(), "-q");
        assertEquals(2, kfold.code(), kfold.err());
        assertTrue(kfold.err().contains("--protocol rating-kfold measures rating prediction, but every interaction has the rating 1.0"), kfold.err());
    }

    /** The console line of each run shows a cut-off the user asked for (it printed NaN at 10 when --k left 10 out). */
    @Test
    void theConsoleShowsACutoffThatWasAskedFor() throws IOException {
        CliRun r = CliRun.of("evaluate", "--data", generated().toString(), "--protocol", "random", "--algorithms", "ials", "--dims", "8",
            "--epochs", "5", "--k", "5,20", "--out", dir.resolve("k").toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("NDCG@5 ") && r.err().contains("Recall@5 "), r.err());
        assertTrue(r.out().contains("ndcg@5") && r.out().contains("NaN") == false && r.err().contains("NaN") == false, r.out() + r.err());
    }
}
