package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.core.io.EmbeddingReader;
import org.recommender.core.io.TrainingManifest;
import org.recommender.tools.cluster.FakeOpenSearch;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.recommender.tools.train.registry.Algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as a user runs them: options, outputs, messages and exit codes. */
class ModelToolsCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path generate(String name) {
        Path csv = dir.resolve(name);
        CliRun g = run("generate", "--users", "300", "--items", "120", "--interactions-per-user", "12", "--clusters", "6", "--seed", "3",
            "--out", csv.toString());
        assertEquals(0, g.code(), g.err());
        return csv;
    }

    @Test
    void trainWithPatienceStopsOnTheValidationItemAndRecordsIt() throws IOException {
        Path csv = generate("early.csv");
        Path model = dir.resolve("early");
        CliRun t = run("train", "--algorithm", "ials", "--data", csv.toString(), "--out", model.toString(), "--dims", "8", "--epochs", "200",
            "--patience", "2", "-P", "regularization=0.5");
        assertEquals(0, t.code(), t.err());
        TrainingManifest manifest = TrainingManifest.read(model);
        assertEquals(2, manifest.hyperParameters().get("patience"));
        assertTrue(t.err().contains("validation ndcg@10"), t.err());
        double ials = manifest.evaluation().get("ials").get("hr@10");
        assertTrue(ials > manifest.evaluation().get("popularity").get("hr@10"), manifest.evaluation().toString());
        CliRun bad = run("train", "--algorithm", "ials", "--data", csv.toString(), "--out", model.toString(), "--patience", "0");
        assertEquals(2, bad.code());
        assertTrue(bad.errLine().contains("--patience must be at least 1 but was 0"), bad.errLine());
    }

    /**
     * A rating model is stopped early on the held-out ratings' RMSE, not on a ranking metric (NDCG@10 kept BPMF's
     * first sweep, a single sample from before the burn-in), and {@code train} reports its RMSE on the test ratings
     * beside the ranking metrics.
     */
    @Test
    void aRatingModelStopsOnTheHeldOutRatingsAndReportsItsRmse() throws IOException {
        Path file = PlantedRatings.write(dir);
        double spread = PlantedRatings.spread(file);
        Path model = dir.resolve("bpmf");
        CliRun t = run("train", "--algorithm", "bpmf", "--data", file.toString(), "--out", model.toString(), "--dims", "4", "--epochs", "40",
            "-P", "burn_in=10", "--patience", "40");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("validation rmse"), t.err());
        TrainingManifest manifest = TrainingManifest.read(model);
        int kept = ((Number) manifest.hyperParameters().get("kept_epoch")).intValue();
        assertTrue(kept > 10, "kept sweep " + kept + " must average samples from after the burn-in");
        double rmse = manifest.evaluation().get("bpmf").get("rmse");
        // predicting the mean everywhere scores the ratings' standard deviation; the planted qualities allow far better
        assertTrue(rmse < 0.6 * spread, "RMSE " + rmse + " vs the ratings' standard deviation " + spread);
        assertTrue(t.out().contains(String.format(java.util.Locale.ROOT, "bpmf predicts the held-out ratings with RMSE %.4f", rmse)), t.out());
    }

    /**
     * {@code train} stops early by default, with the patience {@code evaluate} uses, and records the epoch it kept;
     * {@code --no-early-stopping} trains every epoch and says so.
     */
    @Test
    void trainStopsEarlyByDefaultAndNoEarlyStoppingTrainsEveryEpoch() throws IOException {
        Path csv = generate("default.csv");
        Path model = dir.resolve("default");
        CliRun t = run("train", "--algorithm", "ials", "--data", csv.toString(), "--out", model.toString(), "--dims", "8", "--epochs", "60",
            "-P", "regularization=0.5");
        assertEquals(0, t.code(), t.err());
        TrainingManifest manifest = TrainingManifest.read(model);
        assertEquals(org.recommender.tools.train.TrainingControl.DEFAULT_PATIENCE, manifest.hyperParameters().get("patience"));
        int kept = ((Number) manifest.hyperParameters().get("kept_epoch")).intValue();
        assertTrue(kept >= 1 && kept <= 60, "kept epoch " + kept);
        assertTrue(t.err().contains("kept epoch " + kept + " of "), t.err());

        Path all = dir.resolve("all");
        CliRun n = run("train", "--algorithm", "ials", "--data", csv.toString(), "--out", all.toString(), "--dims", "8", "--epochs", "5",
            "--no-early-stopping", "-q");
        assertEquals(0, n.code(), n.err());
        TrainingManifest every = TrainingManifest.read(all);
        assertEquals("off", every.hyperParameters().get("early_stopping"));
        assertTrue(every.hyperParameters().containsKey("kept_epoch") == false);
        assertTrue(n.err().contains("validation ndcg@10") == false, n.err());
    }

    @Test
    void generateThenTrainWritesVectorsManifestAndPrintsTheComparison() throws IOException {
        Path csv = generate("data.csv");
        Path model = dir.resolve("model");
        CliRun t = run("train", "--algorithm", "bpr", "--data", csv.toString(), "--out", model.toString(), "--dims", "8", "--epochs", "20",
            "--quiet");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("HR@10"), t.out());
        assertTrue(t.out().contains("  bpr "), t.out());
        assertTrue(t.out().contains("  popularity "), t.out());
        assertTrue(t.err().contains("holding out the latest interaction of 300 users"), t.err());

        TrainingManifest manifest = TrainingManifest.read(model);
        assertEquals("bpr", manifest.algorithm());
        assertEquals(8, manifest.dims());
        assertEquals("dot_product", manifest.similarity());
        assertEquals(300, manifest.counts().users());
        assertEquals(120, manifest.counts().items());
        assertEquals(20, manifest.hyperParameters().get("epochs"));
        double bpr = manifest.evaluation().get("bpr").get("hr@10");
        double popularity = manifest.evaluation().get("popularity").get("hr@10");
        assertTrue(bpr > popularity, bpr + " vs " + popularity);
        assertEquals(300, EmbeddingReader.readAll(manifest.usersFile(model), 8).size());
        assertEquals("i1", EmbeddingReader.readAll(manifest.itemsFile(model), 8).stream().map(e -> e.id()).filter("i1"::equals).findFirst()
            .orElseThrow(), "original ids are kept");
    }

    @Test
    void badOptionsAndFilesGiveOneLineAndExitCode2() throws IOException {
        CliRun noCommand = run();
        assertEquals(2, noCommand.code());
        CliRun unknown = run("train", "--algorithm", "bpr", "--data", "x.csv", "--out", "o", "--frobnicate");
        assertEquals(2, unknown.code());
        assertEquals("model-tools train: error: Unknown option: '--frobnicate' (see model-tools train --help)", unknown.errLine());
        CliRun algorithm = run("train", "--algorithm", "svdpp", "--data", "x.csv", "--out", "o");
        assertEquals(2, algorithm.code());
        assertEquals("model-tools train: error: unknown --algorithm [svdpp]; supported: " + Algorithms.names() + " (see model-tools train --help)",
            algorithm.errLine());
        CliRun parameter = run("train", "--algorithm", "ials", "--data", "x.csv", "--out", "o", "-P", "alpah=3");
        assertEquals(2, parameter.code());
        assertTrue(parameter.errLine().contains("unknown parameter(s) [alpah] for --algorithm ials; it takes [alpha, cg_steps, confidence, "),
            parameter.errLine());
        CliRun dims = run("train", "--algorithm", "bpr", "--data", "x.csv", "--out", "o", "--dims", "0");
        assertEquals(2, dims.code());
        assertTrue(dims.errLine().contains("--dims must be between 1 and 4096 but was 0"), dims.errLine());
        CliRun notANumber = run("generate", "--out", "x.csv", "--users", "many");
        assertEquals(2, notANumber.code());

        Path missing = dir.resolve("missing.csv");
        CliRun noFile = run("train", "--algorithm", "bpr", "--data", missing.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, noFile.code());
        assertEquals("model-tools train: error: no such file: " + missing, noFile.errLine());

        Path unknownFormat = Files.writeString(dir.resolve("plays.bin"), "x");
        CliRun format = run("train", "--algorithm", "bpr", "--data", unknownFormat.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, format.code());
        assertTrue(format.errLine().contains("pass --format with one of [ml-100k, ml-1m, ml-20m, lastfm, ncf-rating, jsonl, csv]"), format.errLine());

        Path bad = Files.writeString(dir.resolve("bad.csv"), "user_id,item_id,rating,timestamp\nu1,i1,5,1\nu1,i2,five,2\nu2,i1,4,3\n");
        CliRun malformed = run("train", "--algorithm", "bpr", "--data", bad.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, malformed.code());
        assertEquals("model-tools train: error: " + bad + ":3: rating [five] in field 3 is not a finite number", malformed.errLine());
        for (CliRun r : new CliRun[] { unknown, algorithm, noFile, malformed }) {
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void skipBadLinesReportsHowManyWereSkipped() {
        Path csv = generate("data.csv");
        Path withBad = dir.resolve("with-bad.csv");
        try {
            Files.writeString(withBad, Files.readString(csv) + "u1,i1\nu2;i3;1;2\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        CliRun t = run("train", "--algorithm", "bpr", "--data", withBad.toString(), "--out", dir.resolve("m").toString(), "--epochs", "2",
            "--skip-bad-lines", "--quiet");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("skipped 2 malformed lines; the first: " + withBad + ":"), t.err());
    }

    @Test
    void indexAndRecommendAgainstAFakeCluster() throws IOException {
        Path model = dir.resolve("model");
        assertEquals(0, run("train", "--algorithm", "bpr", "--data", generate("d.csv").toString(), "--out", model.toString(), "--dims", "4",
            "--epochs", "2", "--quiet").code());
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            CliRun index = run("index", "--model", model.toString(), "--url", cluster.url().toString(), "--batch-size", "50", "--quiet");
            assertEquals(0, index.code(), index.err());
            assertTrue(index.out().contains("users: 300 written to [users], 0 failed, _count 300"), index.out());
            assertTrue(index.out().contains("items: 120 written to [items], 0 failed, _count 120"), index.out());
            assertTrue(index.err().contains("connected to opensearch 3.6.0 (cluster fake)"), index.err());
            assertEquals(4, cluster.mappings.get("items").path("mappings").path("properties").path("embedding").path("dims").asInt());

            CliRun table = run("recommend", "--url", cluster.url().toString(), "--user", "u1", "--user", "u2", "--k", "3");
            assertEquals(0, table.code(), table.err());
            assertTrue(table.out().contains("user u1: top 3 of [items] by dot"), table.out());
            assertEquals(2 * 3, table.out().lines().filter(l -> l.matches("\\s+[123]\\s+i\\d+\\s+\\d+\\.\\d{4}")).count(), table.out());

            CliRun json = run("recommend", "--url", cluster.url().toString(), "--user", "u1", "--k", "5", "--json");
            assertEquals(0, json.code(), json.err());
            JsonNode results = new ObjectMapper().readTree(json.out()).path("results");
            assertEquals("u1", results.get(0).path("user").asText());
            assertEquals(5, results.get(0).path("items").size());

            CliRun unknownUser = run("recommend", "--url", cluster.url().toString(), "--user", "nobody");
            assertEquals(1, unknownUser.code());
            assertEquals("model-tools recommend: error: user [nobody] not found in index [users]", unknownUser.errLine());

            cluster.countDeficit = 1;
            CliRun mismatch = run("index", "--model", model.toString(), "--url", cluster.url().toString(), "--only", "items", "--quiet");
            assertEquals(1, mismatch.code());
            assertTrue(mismatch.errLine().startsWith("model-tools index: error: count check failed: [items] has _count 119 but 120 of 120"),
                mismatch.errLine());
        }
    }

    @Test
    void uploadStoresTheTrainedBundleAndVerifiesItOnReadBack() throws IOException {
        Path model = dir.resolve("model");
        assertEquals(0, run("train", "--algorithm", "bpr", "--data", generate("d.csv").toString(), "--out", model.toString(), "--dims", "4",
            "--epochs", "1", "--quiet").code());
        Path bundle = model.resolve("model.bundle");
        assertEquals("dot", org.recommender.core.model.ModelBundle.parse(java.nio.file.Files.readAllBytes(bundle)).type());
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            CliRun first = run("upload", "--url", cluster.url().toString(), "--bundle", bundle.toString(), "--id", "bpr", "--description", "nightly");
            assertEquals(0, first.code(), first.err());
            assertTrue(first.out().startsWith("model [bpr] stored as version 1: dot, user dims 4, item dims 4"), first.out());
            assertTrue(first.out().contains("(read back and verified)"), first.out());
            CliRun second = run("upload", "--url", cluster.url().toString(), "--bundle", bundle.toString(), "--id", "bpr");
            assertEquals(0, second.code(), second.err());
            assertTrue(second.out().startsWith("model [bpr] stored as version 2"), second.out());
            JsonNode sent = new ObjectMapper().readTree(cluster.requests.stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow().body());
            assertEquals("nightly", sent.path("description").asText());

            cluster.replacedBundle = java.util.Base64.getEncoder().encodeToString(org.recommender.core.model.ModelBundle.cosine(4).toBytes());
            CliRun replaced = run("upload", "--url", cluster.url().toString(), "--bundle", bundle.toString(), "--id", "bpr");
            assertEquals(1, replaced.code());
            assertTrue(replaced.errLine().startsWith("model-tools upload: error: model [bpr] read back differs from the upload"), replaced.errLine());

            Path broken = dir.resolve("broken.bundle");
            byte[] bytes = java.nio.file.Files.readAllBytes(bundle);
            java.nio.file.Files.write(broken, java.util.Arrays.copyOf(bytes, bytes.length - 3));
            int before = cluster.requests.size();
            CliRun bad = run("upload", "--url", cluster.url().toString(), "--bundle", broken.toString(), "--id", "bpr");
            assertEquals(2, bad.code());
            assertTrue(bad.errLine().contains("broken.bundle is not a valid model bundle"), bad.errLine());
            assertEquals(before, cluster.requests.size(), "a broken bundle never reaches the cluster");
        }
    }

    /** {@code upload --model DIR} takes the training output as {@code index} and {@code parity} do; its bundle file is what is sent. */
    @Test
    void uploadTakesTheTrainingOutputDirectory() throws IOException {
        Path model = dir.resolve("model");
        assertEquals(0, run("train", "--algorithm", "bpr", "--data", generate("d.csv").toString(), "--out", model.toString(), "--dims", "4",
            "--epochs", "1", "--quiet").code());
        byte[] bundle = java.nio.file.Files.readAllBytes(model.resolve("model.bundle"));
        try (FakeOpenSearch cluster = new FakeOpenSearch()) {
            CliRun r = run("upload", "--url", cluster.url().toString(), "--model", model.toString(), "--id", "bpr");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("model [bpr] stored as version 1: dot, user dims 4, item dims 4"), r.out());
            JsonNode sent = new ObjectMapper().readTree(cluster.requests.stream().filter(q -> q.method().equals("PUT")).findFirst().orElseThrow().body());
            assertEquals(java.util.Base64.getEncoder().encodeToString(bundle), sent.path("bundle").asText(), "the directory's model.bundle, byte for byte");

            int before = cluster.requests.size();
            CliRun both = run("upload", "--url", cluster.url().toString(), "--model", model.toString(), "--bundle", model.resolve("model.bundle").toString(),
                "--id", "bpr");
            assertEquals(2, both.code());
            assertTrue(both.errLine().contains("mutually exclusive"), both.errLine());
            CliRun neither = run("upload", "--url", cluster.url().toString(), "--id", "bpr");
            assertEquals(2, neither.code());
            assertTrue(neither.errLine().contains("--model") && neither.errLine().contains("--bundle"), neither.errLine());
            // an output whose writing never finished has no manifest: refused, though its bundle is there
            java.nio.file.Files.delete(model.resolve("manifest.json"));
            CliRun unfinished = run("upload", "--url", cluster.url().toString(), "--model", model.toString(), "--id", "bpr");
            assertEquals(2, unfinished.code());
            assertTrue(unfinished.errLine().contains("manifest.json"), unfinished.errLine());
            assertEquals(before, cluster.requests.size(), "nothing reached the cluster");
        }
    }

    @Test
    void noClusterAtTheUrlIsOneLineAndExitCode1() throws IOException {
        Path model = dir.resolve("model");
        assertEquals(0, run("train", "--algorithm", "bpr", "--data", generate("d.csv").toString(), "--out", model.toString(), "--dims", "4",
            "--epochs", "1", "--quiet").code());
        String url;
        try (ServerSocket s = new ServerSocket(0)) {
            url = "http://127.0.0.1:" + s.getLocalPort();
        }
        CliRun index = run("index", "--model", model.toString(), "--url", url, "--max-retries", "0", "--quiet");
        assertEquals(1, index.code());
        assertTrue(index.errLine().startsWith("model-tools index: error: OpenSearch at " + url + " could not be reached ("), index.err());
        assertEquals(1, index.err().strip().lines().count(), index.err());

        CliRun recommend = run("recommend", "--url", url, "--user", "u1", "--max-retries", "0");
        assertEquals(1, recommend.code());
        assertTrue(recommend.errLine().startsWith("model-tools recommend: error: OpenSearch at " + url + " could not be reached"), recommend.err());

        // with retries, each is announced on stderr before its wait, then the error as before
        CliRun retried = run("recommend", "--url", url, "--user", "u1", "--max-retries", "2");
        assertEquals(1, retried.code());
        List<String> lines = retried.err().strip().lines().toList();
        assertEquals(3, lines.size(), retried.err());
        assertTrue(lines.get(0).matches("OpenSearch at " + Pattern.quote(url)
            + " could not be reached \\(.+\\) on GET /users/_doc/u1: attempt 1 of 3 failed, retrying in 250 ms"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" on GET /users/_doc/u1: attempt 2 of 3 failed, retrying in 500 ms"), lines.get(1));
        assertTrue(lines.get(2).startsWith("model-tools recommend: error: OpenSearch at " + url + " could not be reached"), lines.get(2));

        CliRun noManifest = run("index", "--model", dir.toString(), "--url", url);
        assertEquals(2, noManifest.code());
        assertTrue(noManifest.errLine().contains("manifest.json"), noManifest.errLine());
    }
}
