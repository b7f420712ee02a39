package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.core.io.EmbeddingEntry;
import org.recommender.core.io.EmbeddingReader;
import org.recommender.core.io.EmbeddingWriter;
import org.recommender.core.io.TrainingManifest;
import org.recommender.core.model.RandomModels;
import org.recommender.plugin.e2e.RealNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The offline → online loop against a real OpenSearch node (the build's release) with the built plugin zip installed: train, index,
 * upload and {@code parity} on every surface for a factorization model (BPR) and a neural one (NeuMF); parity failing
 * when the cluster holds other vectors; and an {@code index} run killed mid-way (SIGKILL to a separate process) that
 * the next run finishes without losing or re-sending what was done.
 */
class LoopE2EIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static RealNode node;
    private static String url;

    @BeforeAll
    static void startNode() throws Exception {
        node = RealNode.fromBuild("");
        url = "http://127.0.0.1:" + node.httpPort;
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private static CliRun ok(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), String.join(" ", args) + "\n" + run.out() + run.err());
        return run;
    }

    @Test
    void trainedModelsRankTheSameOnlineOnEverySurface() throws Exception {
        Path data = dir.resolve("interactions.csv");
        ok("generate", "--users", "300", "--items", "200", "--interactions-per-user", "20", "--seed", "7", "--out", data.toString());
        for (String algorithm : List.of("bpr", "neumf")) {
            Path model = dir.resolve(algorithm);
            ok("train", "--algorithm", algorithm, "--data", data.toString(), "--out", model.toString(), "--seed", "1", "--holdout", "none",
                "--epochs", "3", "--quiet");
            ok("index", "--url", url, "--model", model.toString(), "--users-index", "users_" + algorithm, "--items-index", "items_" + algorithm,
                "--quiet");
            ok("upload", "--url", url, "--bundle", model.resolve("model.bundle").toString(), "--id", algorithm);
            CliRun parity = ok("parity", "--url", url, "--model", model.toString(), "--id", algorithm, "--users-index", "users_" + algorithm,
                "--items-index", "items_" + algorithm, "--sample", "12", "--k", "10");
            System.out.println(parity.out()); // kept in failsafe-reports/*-output.txt
            assertTrue(parity.out().contains("parity: ok"), parity.out());
            for (String surface : List.of("endpoint", "rescorer", "script")) {
                // 12 users x 10 items compared on each surface, every ranking in full agreement
                Matcher row = Pattern.compile("(?m)^" + surface + " +12 +120 +(\\S+) +(\\S+) +1\\.000 +1\\.000 +ok$").matcher(parity.out());
                assertTrue(row.find(), algorithm + " " + surface + ":\n" + parity.out());
                assertTrue(Double.parseDouble(row.group(1)) <= 1e-4, row.group());
            }
        }

        // a catalog index with fields of its own: indexing a model again updates the vectors and keeps the rest
        node.request("POST", "/items_bpr/_update/i5?refresh=true", "{\"doc\": {\"title\": \"Red shoes\"}}");
        CliRun again = ok("index", "--url", url, "--model", dir.resolve("bpr").toString(), "--only", "items", "--items-index", "items_bpr",
            "--quiet");
        assertTrue(again.err().contains("items: updating documents in place"), again.err());
        JsonNode i5 = JSON.readTree(node.request("GET", "/items_bpr/_doc/i5", null).body()).path("_source");
        assertEquals("Red shoes", i5.path("title").asText(), i5.toString());
        JsonNode trained = JSON.readTree(Files.readAllLines(dir.resolve("bpr").resolve(TrainingManifest.ITEMS_FILE)).stream()
            .filter(line -> line.startsWith("{\"id\":\"i5\"")).findFirst().orElseThrow()).path("vector");
        assertEquals(trained.size(), i5.path("embedding").size());
        for (int d = 0; d < trained.size(); d++) {
            assertEquals(trained.get(d).floatValue(), i5.path("embedding").get(d).floatValue(), "dim " + d);
        }
        ok("parity", "--url", url, "--model", dir.resolve("bpr").toString(), "--id", "bpr", "--users-index", "users_bpr", "--items-index",
            "items_bpr", "--sample", "5");

        // the users index now holds vectors of another training run: parity must notice
        Path other = dir.resolve("bpr-seed2");
        ok("train", "--algorithm", "bpr", "--data", data.toString(), "--out", other.toString(), "--seed", "2", "--holdout", "none", "--epochs", "3",
            "--quiet");
        ok("index", "--url", url, "--model", other.toString(), "--only", "users", "--users-index", "users_bpr", "--quiet");
        CliRun stale = CliRun.of("parity", "--url", url, "--model", dir.resolve("bpr").toString(), "--id", "bpr", "--users-index", "users_bpr",
            "--items-index", "items_bpr", "--sample", "5");
        System.out.println(stale.out());
        assertEquals(ExitCodes.FAILURE, stale.code(), stale.out() + stale.err());
        assertTrue(stale.out().contains("parity: FAILED"), stale.out());
        assertTrue(stale.out().matches("(?s).*user vectors in \\[users_bpr\\] vs offline: max \\|difference\\| \\S+  FAIL.*"), stale.out());

        // users made of histories by a stored encoder: encoded offline by its bundle and online by the plugin
        int dims = JSON.readTree(node.request("GET", "/items_bpr/_doc/i5", null).body()).path("_source").path("embedding").size();
        Path encoder = dir.resolve("encoder.bundle");
        Files.write(encoder, RandomModels.gru4rec(dims, 16, dims, 10, 5).toBytes());
        ok("upload", "--url", url, "--bundle", encoder.toString(), "--id", "enc");
        Path histories = dir.resolve("histories.jsonl");
        Random random = new Random(3);
        StringBuilder lines = new StringBuilder();
        for (int u = 0; u < 8; u++) {
            List<String> history = new ArrayList<>();
            for (int t = 0; t < 3 + u % 6; t++) {
                history.add("\"i" + random.nextInt(200) + "\"");
            }
            lines.append("{\"id\": \"h").append(u).append("\", \"history\": ").append(history).append("}\n");
        }
        Files.writeString(histories, lines);
        CliRun encoded = ok("parity", "--url", url, "--model", dir.resolve("bpr").toString(), "--id", "bpr", "--items-index", "items_bpr",
            "--encoder", "enc", "--encoder-bundle", encoder.toString(), "--histories", histories.toString(), "--sample", "8", "--k", "10");
        System.out.println(encoded.out());
        assertTrue(encoded.out().contains("users encoded from their histories by [enc]"), encoded.out());
        for (String surface : List.of("endpoint", "rescorer", "script")) {
            Matcher row = Pattern.compile("(?m)^" + surface + " +8 +80 +(\\S+) +(\\S+) +1\\.000 +1\\.000 +ok$").matcher(encoded.out());
            assertTrue(row.find(), "encoder " + surface + ":\n" + encoded.out());
        }
        assertTrue(encoded.out().contains("parity: ok"), encoded.out());
        // an offline encoder other than the stored one is refused before anything is compared
        Path otherEncoder = dir.resolve("other-encoder.bundle");
        Files.write(otherEncoder, RandomModels.gru4rec(dims, 16, dims, 10, 6).toBytes());
        CliRun mismatched = CliRun.of("parity", "--url", url, "--model", dir.resolve("bpr").toString(), "--id", "bpr", "--items-index", "items_bpr",
            "--encoder", "enc", "--encoder-bundle", otherEncoder.toString(), "--histories", histories.toString());
        assertTrue(mismatched.code() != 0, mismatched.out() + mismatched.err());
        assertTrue(mismatched.err().contains("model [enc] in the store has checksum"), mismatched.err());
    }

    /**
     * Mult-DAE end to end: trained on everything, indexed with its history vectors, its encoder and both scoring
     * models uploaded; a user the plugin encodes from their distinct training items is ranked and scored as the
     * trained model ranks and scores that user offline (users.jsonl against items.jsonl), and {@code parity --encoder}
     * passes, as does parity of the stored users.
     */
    @Test
    void multDaeUsersEncodedInTheClusterRankAsTheTrainedModel() throws Exception {
        Path data = dir.resolve("multdae-interactions.csv");
        int items = 120;
        ok("generate", "--users", "150", "--items", "" + items, "--interactions-per-user", "12", "--seed", "5", "--out", data.toString());
        Path model = dir.resolve("multdae");
        ok("train", "--algorithm", "multdae", "--data", data.toString(), "--out", model.toString(), "--seed", "1", "--holdout", "none",
            "--no-early-stopping", "--epochs", "5", "--dims", "16", "--quiet");
        CliRun index = ok("index", "--url", url, "--model", model.toString(), "--users-index", "users_multdae", "--items-index", "items_multdae",
            "--quiet");
        assertTrue(index.err().contains("history vectors: " + items + " items of 16 dims for [history_embedding]"), index.err());
        ok("upload", "--url", url, "--bundle", model.resolve("model.bundle").toString(), "--id", "multdae");
        ok("upload", "--url", url, "--bundle", model.resolve("encoder.bundle").toString(), "--id", "multdae-enc");
        CliRun encodedUpload = ok("upload", "--url", url, "--bundle", model.resolve("encoded.bundle").toString(), "--id", "multdae-encoded");
        assertTrue(encodedUpload.out().contains("dot, user dims 16, item dims 17"), encodedUpload.out());

        // each user's distinct training items, which is every item of the file: --holdout none --no-early-stopping
        Map<String, java.util.LinkedHashSet<String>> trained = new java.util.TreeMap<>();
        List<String> rows = Files.readAllLines(data);
        for (String line : rows.subList(1, rows.size())) { // after the header
            String[] columns = line.split(",");
            trained.computeIfAbsent(columns[0], u -> new java.util.LinkedHashSet<>()).add(columns[1]);
        }
        Path histories = dir.resolve("multdae-histories.jsonl");
        StringBuilder lines = new StringBuilder();
        trained.forEach((user, history) -> {
            ObjectNode line = JSON.createObjectNode().put("id", user);
            line.set("history", JSON.valueToTree(history));
            lines.append(line).append('\n');
        });
        Files.writeString(histories, lines);

        Map<String, float[]> itemVectors = vectors(model.resolve(TrainingManifest.ITEMS_FILE), 17);
        Map<String, float[]> userVectors = vectors(model.resolve(TrainingManifest.USERS_FILE), 17);
        for (String user : List.of("u1", "u77", "u150")) {
            // offline: the trained model's logits for the stored user, [h_u, 1] · [W_dec[:, i], b_i]
            List<Map.Entry<String, Double>> offline = new ArrayList<>();
            itemVectors.forEach((id, v) -> {
                double s = 0;
                for (int d = 0; d < v.length; d++) {
                    s += (double) userVectors.get(user)[d] * v[d];
                }
                offline.add(Map.entry(id, s));
            });
            offline.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            ObjectNode request = JSON.createObjectNode().put("field", "embedding").put("k", 10).put("model", "multdae-encoded").put("explain", true);
            // the encoder reads the history vectors; the encoded-user model scores the user against the decoder's item vectors
            request.putObject("user").put("index", "items_multdae").put("field", "history_embedding").put("encoder", "multdae-enc")
                .set("history", JSON.valueToTree(trained.get(user)));
            // an encoded user is one dimension short of the items (their last is the decoder bias): no kNN on the field
            request.putObject("candidates").put("num_candidates", items).putObject("query").putObject("match_all");
            String body = request.toString();
            var response = node.request("POST", "/items_multdae/_recommend", body);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode online = JSON.readTree(response.body()).path("items");
            assertEquals(10, online.size(), response.body());
            for (int r = 0; r < 10; r++) {
                JsonNode hit = online.get(r);
                double expected = offline.get(r).getValue();
                assertEquals(offline.get(r).getKey(), hit.path("_id").asText(), user + " rank " + r + ": " + response.body());
                assertEquals(expected, hit.path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(expected)), user + " rank " + r);
                assertTrue(hit.path("_explanation").path("user_encoded_by").asText().contains("[multdae-enc]"), hit.toString());
            }
        }

        CliRun parity = ok("parity", "--url", url, "--model", model.toString(), "--id", "multdae-encoded", "--items-index", "items_multdae",
            "--encoder", "multdae-enc", "--histories", histories.toString(), "--sample", "12", "--k", "10", "--atol", "1e-5", "--rtol", "1e-5");
        System.out.println(parity.out());
        assertTrue(parity.out().contains("users encoded from their histories by [multdae-enc], offline and in the cluster (history vectors in "
            + "[history_embedding])"), parity.out());
        for (String surface : List.of("endpoint", "rescorer", "script")) {
            Matcher row = Pattern.compile("(?m)^" + surface + " +12 +120 +(\\S+) +(\\S+) +1\\.000 +1\\.000 +ok$").matcher(parity.out());
            assertTrue(row.find(), "multdae encoder " + surface + ":\n" + parity.out());
        }
        assertTrue(parity.out().contains("parity: ok"), parity.out());
        // the stored users, scored by model.bundle, agree as well
        CliRun stored = ok("parity", "--url", url, "--model", model.toString(), "--id", "multdae", "--users-index", "users_multdae", "--items-index",
            "items_multdae", "--sample", "12", "--k", "10");
        System.out.println(stored.out());
        assertTrue(stored.out().contains("parity: ok"), stored.out());
    }

    private static Map<String, float[]> vectors(Path file, int dims) throws Exception {
        Map<String, float[]> vectors = new java.util.LinkedHashMap<>();
        try (EmbeddingReader reader = new EmbeddingReader(file, dims)) {
            for (EmbeddingEntry e = reader.next(); e != null; e = reader.next()) {
                vectors.put(e.id(), e.vector());
            }
        }
        return vectors;
    }

    @Test
    void aKilledIndexRunResumesWithoutLossOrRepeats() throws Exception {
        int items = 100_000;
        int dims = 8;
        int batch = 100;
        int concurrency = 2;
        Path model = dir.resolve("large");
        float[][] vectors = writeModel(model, items, dims);
        Path mapping = dir.resolve("exact-items.json");
        Files.writeString(mapping, """
            {"settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0}},
             "mappings": {"properties": {"item_id": {"type": "keyword"},
               "embedding": {"type": "embedding", "dims": 8, "similarity": "dot_product", "index": false}}}}
            """);
        List<String> args = List.of("index", "--url", url, "--model", model.toString(), "--only", "items", "--items-index", "resumed",
            "--mapping", "items=" + mapping, "--batch-size", "" + batch, "--concurrency", "" + concurrency, "--write", "replace", "--quiet");
        // --write replace: every document sent is an index operation the node counts, so repeats would show below

        Path progress = model.resolve(".index-progress-resumed.json");
        Process child = startModelTools(args, dir.resolve("killed.out"));
        long killedAfter = awaitProgress(child, progress, 5_000);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to tidy up
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        long saved = JSON.readTree(progress.toFile()).path("documents").asLong();
        assertTrue(saved >= killedAfter && saved < items, "saved " + saved);
        node.request("POST", "/resumed/_refresh", null);
        long afterKill = JSON.readTree(node.request("GET", "/resumed/_count", null).body()).path("count").asLong();
        assertTrue(afterKill >= saved && afterKill < items, "the run was cut short: _count " + afterKill + ", saved " + saved);

        CliRun resumed = ok(args.toArray(String[]::new));
        System.out.println("killed after " + killedAfter + " saved " + saved + " _count " + afterKill + "\n" + resumed.out() + resumed.err());
        assertTrue(resumed.out().contains(String.format(Locale.ROOT, "resumed after %,d", saved)), resumed.out());
        assertTrue(resumed.out().contains(String.format(Locale.ROOT, "items: %,d written to [resumed], 0 failed, _count %,d", items, items)), resumed.out());
        assertFalse(Files.exists(progress));

        JsonNode stats = JSON.readTree(node.request("GET", "/resumed/_stats/indexing", null).body());
        long operations = stats.path("_all").path("primaries").path("indexing").path("index_total").asLong();
        // every document once, plus at most the batches that were in flight when the process died
        System.out.println("index operations " + operations);
        assertTrue(operations >= items && operations <= items + (long) batch * concurrency, "index operations " + operations);
        for (int i : new int[] { 0, (int) saved - 1, (int) saved, items - 1 }) {
            JsonNode doc = JSON.readTree(node.request("GET", "/resumed/_doc/i" + i, null).body()).path("_source").path("embedding");
            for (int d = 0; d < dims; d++) {
                assertEquals(vectors[i][d], doc.get(d).floatValue(), "item i" + i + " dim " + d);
            }
        }
    }

    /** A training output directory with seeded vectors, written directly (what train or import would write). */
    private static float[][] writeModel(Path model, int items, int dims) throws Exception {
        Files.createDirectories(model);
        Random random = new Random(11);
        float[][] vectors = new float[items][dims];
        try (EmbeddingWriter w = new EmbeddingWriter(model.resolve(TrainingManifest.ITEMS_FILE), dims)) {
            for (int i = 0; i < items; i++) {
                for (int d = 0; d < dims; d++) {
                    vectors[i][d] = (float) random.nextGaussian();
                }
                w.write("i" + i, vectors[i]);
            }
        }
        try (EmbeddingWriter w = new EmbeddingWriter(model.resolve(TrainingManifest.USERS_FILE), dims)) {
            w.write("u0", vectors[0]);
        }
        new TrainingManifest(TrainingManifest.FORMAT_VERSION, "e2e", dims, "dot_product", 0, Map.of(), new TrainingManifest.Counts(1, items, 0), 0,
            TrainingManifest.FileNames.defaults(), Map.of()).write(model);
        return vectors;
    }

    private static Process startModelTools(List<String> args, Path output) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-jar", System.getProperty("recommender.e2e.model.tools.jar")));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Waits until the saved progress reaches {@code documents}; fails if the process ends first. */
    private static long awaitProgress(Process child, Path progress, long documents) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (child.isAlive() == false) {
                fail("index finished (exit " + child.exitValue() + ") before it could be killed; output:\n"
                    + Files.readString(dir.resolve("killed.out")));
            }
            if (Files.exists(progress)) {
                try {
                    long done = JSON.readTree(progress.toFile()).path("documents").asLong();
                    if (done >= documents) {
                        return done;
                    }
                } catch (java.io.IOException beingReplaced) {
                    // the file is replaced atomically, but may vanish between exists() and the read on some systems
                }
            }
            Thread.sleep(10);
        }
        fail("index made no progress within 120 s");
        return -1;
    }

}
