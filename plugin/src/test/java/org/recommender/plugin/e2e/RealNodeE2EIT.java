package org.recommender.plugin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.plugin.ReferenceScores;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * The built zip, installed into a real OpenSearch node of the release it was built for (Maven Central's
 * distribution; {@code bin/test} runs it on every supported release), over HTTP:
 * the mapping, indexing with a bad row in the bulk, exact ranking against independently computed scores, error
 * statuses, the stats endpoint proving ND4J loaded inside the node, and {@code _recommend} with an uploaded model
 * through an alias, and over a thousand generated hostile requests to every surface: each must get a 4xx with a
 * reason, and the node, its documents and its stored model must come out unchanged.
 *
 * <p>Longer than the project's ~400 lines on purpose: every case shares one node, which costs ~30 s to start and
 * runs on every supported release in {@code bin/test}; the request builders it uses live in {@link HostileInputs}.
 */
public class RealNodeE2EIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIMS = 12;
    private static final int ITEMS = 250;
    private static RealNode node;

    @BeforeClass
    public static void startNode() throws Exception {
        node = RealNode.fromBuild("");
    }

    @AfterClass
    public static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    public void indexRankAndReportOverHttp() throws Exception {
        assertTrue(send("GET", "/_cat/plugins", null).body().contains("opensearch-recommender"));
        HttpResponse<String> created = send(
            "PUT",
            "/items",
            "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"similarity\":\"dot_product\"}}}}"
        );
        assertEquals(created.body(), 200, created.statusCode());

        Random random = new Random(20261123L);
        Map<String, float[]> vectors = new HashMap<>();
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            float[] v = randomVector(random);
            vectors.put("item-" + i, v);
            bulk.append("{\"index\":{\"_id\":\"item-").append(i).append("\"}}\n").append(JSON.writeValueAsString(Map.of("emb", v))).append('\n');
        }
        bulk.append("{\"index\":{\"_id\":\"bad\"}}\n{\"emb\":[1,2,3]}\n");
        JsonNode bulkResponse = JSON.readTree(send("POST", "/items/_bulk?refresh=true", bulk.toString()).body());
        assertTrue(bulkResponse.path("errors").asBoolean());
        int failed = 0;
        for (JsonNode item : bulkResponse.path("items")) {
            JsonNode result = item.path("index");
            if (result.has("error")) {
                failed++;
                assertEquals("bad", result.path("_id").asText());
                assertEquals(400, result.path("status").asInt());
                assertTrue(result.toString(), result.toString().contains("[emb] has 3 dimensions but " + DIMS + " were expected"));
            }
        }
        assertEquals(1, failed);
        assertEquals(ITEMS, JSON.readTree(send("GET", "/items/_count", null).body()).path("count").asInt());

        float[] user = randomVector(random);
        int k = 15;
        String query = "{\"size\":" + k + ",\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},"
            + "\"script\":{\"lang\":\"recommender\",\"source\":\"dot\",\"params\":{\"field\":\"emb\",\"vector\":" + JSON.writeValueAsString(user) + "}}}}}";
        HttpResponse<String> search = send("POST", "/items/_search", query);
        assertEquals(search.body(), 200, search.statusCode());
        JsonNode hits = JSON.readTree(search.body()).path("hits").path("hits");
        List<Map.Entry<String, Double>> expected = referenceRanking(user, vectors);
        assertEquals(k, hits.size());
        for (int i = 0; i < k; i++) {
            assertEquals("rank " + i, expected.get(i).getKey(), hits.get(i).path("_id").asText());
            assertEquals(expected.get(i).getValue(), hits.get(i).path("_score").asDouble(), 1e-5 * Math.max(1, expected.get(i).getValue()));
        }

        HttpResponse<String> wrongDims = send(
            "POST",
            "/items/_search",
            "{\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},\"script\":{\"lang\":\"recommender\",\"source\":\"dot\","
                + "\"params\":{\"field\":\"emb\",\"vector\":[1,2]}}}}}"
        );
        assertEquals(wrongDims.body(), 400, wrongDims.statusCode());
        assertTrue(wrongDims.body(), wrongDims.body().contains("[params.vector] has 2 dimensions but field [emb] has " + DIMS));

        JsonNode stats = null;
        for (int attempt = 0; attempt < 120; attempt++) {
            stats = JSON.readTree(send("GET", "/_plugins/_recommender/stats", null).body());
            if ("loading".equals(stats.path("nodes").elements().next().path("compute").path("status").asText()) == false) {
                break;
            }
            Thread.sleep(500);
        }
        JsonNode nodeStats = stats.path("nodes").elements().next();
        JsonNode compute = nodeStats.path("compute");
        assertEquals(compute.toString(), "ready", compute.path("status").asText());
        assertEquals("org.nd4j.linalg.cpu.nativecpu.CpuBackend", compute.path("backend").asText());
        assertTrue(compute.toString(), compute.path("native_libraries").toString().contains("\"nd4jcpu\""));
        assertFalse(compute.path("blas_vendor").asText().isEmpty());
        assertTrue(nodeStats.path("counters").path("vectors_rejected").asLong() >= 1);
        assertTrue(nodeStats.path("counters").path("script_searches").asLong() >= 1);
    }

    @Test
    public void recommendWithAStoredModelThroughAnAlias() throws Exception {
        HttpResponse<String> created = send(
            "PUT",
            "/catalog",
            "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},\"aliases\":{\"shop\":{}},"
                + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},\"name\":{\"type\":\"keyword\"}}}}"
        );
        assertEquals(created.body(), 200, created.statusCode());
        Random random = new Random(7);
        Map<String, float[]> vectors = new HashMap<>();
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            float[] v = randomVector(random);
            vectors.put("p" + i, v);
            bulk.append("{\"index\":{\"_id\":\"p").append(i).append("\"}}\n");
            bulk.append(JSON.writeValueAsString(Map.of("emb", v, "name", "product " + i))).append('\n');
        }
        assertFalse(JSON.readTree(send("POST", "/catalog/_bulk?refresh=true", bulk.toString()).body()).path("errors").asBoolean());

        ModelBundle neumf = RandomModels.neumf(DIMS, new int[] { 16, 8 }, 3);
        HttpResponse<String> put = send(
            "PUT",
            "/_plugins/_recommender/models/shop-ranker",
            "{\"bundle\":\"" + Base64.getEncoder().encodeToString(neumf.toBytes()) + "\"}"
        );
        assertEquals(put.body(), 201, put.statusCode());

        float[] user = randomVector(random);
        HttpResponse<String> response = send(
            "POST",
            "/shop/_recommend",
            "{\"field\":\"emb\",\"user\":{\"vector\":" + JSON.writeValueAsString(user) + "},\"k\":10,\"model\":\"shop-ranker\","
                + "\"candidates\":{\"knn\":{\"num_candidates\":500,\"exact\":true}},\"exclude\":{\"ids\":[\"p0\",\"p1\"]},\"_source\":[\"name\"]}"
        );
        assertEquals(response.body(), 200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("shop-ranker", body.path("model").path("id").asText());
        assertEquals(1, body.path("model").path("version").asLong());
        ScoringModel reference = neumf.compile(KernelProvider.jvmOnly());
        List<Map.Entry<String, Double>> expected = new ArrayList<>();
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            if (e.getKey().equals("p0") == false && e.getKey().equals("p1") == false) {
                expected.add(Map.entry(e.getKey(), (double) reference.score(user, e.getValue())));
            }
        }
        expected.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        JsonNode items = body.path("items");
        assertEquals(10, items.size());
        for (int i = 0; i < 10; i++) {
            String id = expected.get(i).getKey();
            assertEquals("rank " + i, id, items.get(i).path("_id").asText());
            assertEquals("catalog", items.get(i).path("_index").asText());
            assertEquals(expected.get(i).getValue(), items.get(i).path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(expected.get(i).getValue())));
            assertEquals("product " + id.substring(1), items.get(i).path("_source").path("name").asText());
        }

        // The rescorer inside this real node scores its shard windows (~60 items) with the SIMD kernel: the node's JVM
        // has the Vector API (OpenSearch's jvm.options), and the plugin's class loader can link against it.
        long simdBefore = simdWindows();
        HttpResponse<String> rescored = send(
            "POST",
            "/shop/_search",
            "{\"size\":120,\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":120,\"recommender\":{\"user\":{\"vector\":"
                + JSON.writeValueAsString(user) + "},\"field\":\"emb\",\"model\":\"shop-ranker\",\"score_mode\":\"replace\"}}}"
        );
        assertEquals(rescored.body(), 200, rescored.statusCode());
        JsonNode hits = JSON.readTree(rescored.body()).path("hits").path("hits");
        assertEquals(120, hits.size());
        for (JsonNode hit : hits) {
            double want = reference.score(user, vectors.get(hit.path("_id").asText())); // item by item, no SIMD
            assertEquals(hit.path("_id").asText(), want, hit.path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(want)));
        }
        assertEquals("both shards' windows went through the SIMD kernel", simdBefore + 2, simdWindows());

        HttpResponse<String> unknownModel = send(
            "POST",
            "/shop/_recommend",
            "{\"field\":\"emb\",\"user\":{\"vector\":" + JSON.writeValueAsString(user) + "},\"model\":\"nope\"}"
        );
        assertEquals(unknownModel.body(), 404, unknownModel.statusCode());
        assertTrue(unknownModel.body(), unknownModel.body().contains("[model] model [nope] not found"));
    }

    private long simdWindows() throws Exception {
        JsonNode node = JSON.readTree(send("GET", "/_plugins/_recommender/stats", null).body()).path("nodes").elements().next();
        assertEquals(node.toString(), "java-simd", node.path("compute").path("jvm_batch_kernel").asText());
        return node.path("counters").path("rescore_batches_simd").asLong();
    }

    @Test
    public void hostileInputGetsA4xxAndChangesNothing() throws Exception {
        int dims = 6;
        assertEquals(200, send("PUT", "/fuzz", "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},"
            + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + dims + "},\"name\":{\"type\":\"keyword\"}}}}").statusCode());
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            bulk.append("{\"index\":{\"_id\":\"f").append(i).append("\"}}\n{\"emb\":[").append(i % 7).append(",1,0.5,-1,0.25,").append(i)
                .append("],\"name\":\"n").append(i).append("\"}\n");
        }
        assertFalse(JSON.readTree(send("POST", "/fuzz/_bulk?refresh=true", bulk.toString()).body()).path("errors").asBoolean());
        ModelBundle model = RandomModels.mlp(dims, new int[] { 8 }, 9);
        byte[] bundle = model.toBytes();
        assertEquals(201, send("PUT", "/_plugins/_recommender/models/fuzz-model", "{\"bundle\":\"" + Base64.getEncoder().encodeToString(bundle) + "\"}").statusCode());
        String probe = "{\"field\":\"emb\",\"k\":5,\"model\":\"fuzz-model\",\"user\":{\"vector\":[1,0,0,0,0,1]},\"candidates\":{\"knn\":{\"exact\":true}}}";
        String before = send("POST", "/fuzz/_recommend", probe).body();

        HostileInputs inputs = new HostileInputs(20261202L, dims);
        List<HostileInputs.Hostile> requests = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            requests.add(inputs.recommend("fuzz"));
        }
        for (int i = 0; i < 150; i++) {
            requests.add(inputs.knnSearch("fuzz"));
            requests.add(inputs.rescore("fuzz"));
            requests.add(inputs.upload("fuzz-model", bundle));
            requests.add(inputs.document("fuzz"));
        }
        for (int i = 0; i < 100; i++) {
            requests.add(inputs.script("fuzz"));
            requests.add(inputs.mapping(i));
            requests.add(inputs.admin());
            requests.add(inputs.deep("fuzz"));
        }
        Map<String, Integer> statuses = new java.util.TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (HostileInputs.Hostile h : requests) {
            HttpResponse<String> response = send(h.method(), h.path(), h.body());
            int status = response.statusCode();
            if (h.path().equals("/_msearch") && status == 200) {
                // a multi-search answers each search on its own: the one over the store must be the refused one
                JsonNode item = JSON.readTree(response.body()).path("responses").path(0);
                status = item.path("status").asInt();
            }
            statuses.merge(h.surface() + " " + status, 1, Integer::sum);
            boolean clientError = status >= 400 && status < 500;
            boolean explained = response.body().contains("\"reason\"");
            if (clientError == false || explained == false) {
                wrong.add(response.statusCode() + " " + h.surface() + " [" + h.breakers() + "] " + h.body() + " -> " + response.body());
            }
        }
        System.out.println("hostile requests: " + requests.size() + ", answers by surface and status: " + statuses);
        wrong.forEach(w -> System.out.println("WRONG " + w));
        assertTrue(String.join("\n", wrong.subList(0, Math.min(5, wrong.size()))), wrong.isEmpty());
        assertTrue(requests.size() >= 1000);
        assertEquals("no mapping was accepted", 404, send("GET", "/fuzz-mapping-*/_mapping?allow_no_indices=false", null).statusCode());
        assertEquals("nothing was copied out of the store", 404, send("GET", "/stolen*/_count?allow_no_indices=false", null).statusCode());
        assertFalse("no template was made", send("GET", "/_index_template", null).body().contains("evil"));

        // nothing was lost or changed
        assertEquals(200, send("GET", "/_cluster/health?wait_for_status=green&timeout=10s", null).statusCode());
        assertEquals(50, JSON.readTree(send("GET", "/fuzz/_count", null).body()).path("count").asInt());
        JsonNode stored = JSON.readTree(send("GET", "/_plugins/_recommender/models/fuzz-model", null).body());
        assertEquals(1, stored.path("_version").asLong());
        assertEquals(model.checksum(), stored.path("checksum").asText());
        JsonNode after = JSON.readTree(send("POST", "/fuzz/_recommend", probe).body());
        assertEquals(JSON.readTree(before).path("items"), after.path("items"));
    }

    /**
     * The store-safety review's cases on a real node (concurrent large uploads are {@link StoreMemoryIT}'s, on a node of
     * their own): the store reached through an alias, deleted, closed or re-configured,
     * read by reindex, hostile ids, nesting and window sizes (500 before), and
     * overflowing vectors (NaN and infinite scores before).
     */
    @Test
    public void theStoreSafetyReviewCasesAreRefusedAndTheNodeLives() throws Exception {
        String models = "/_plugins/_recommender/models/";
        // (2) and (3): the store through an alias, deleted, closed, blocked, read by reindex
        assertEquals(201, send("PUT", models + "kept", "{\"bundle\":\"" + Base64.getEncoder().encodeToString(ModelBundle.dot(DIMS).toBytes()) + "\"}").statusCode());
        String[][] refused = {
            { "POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\".recommender-models\",\"alias\":\"mstore\"}}]}" },
            { "PUT", "/mstore/_doc/evil2", "{\"model_id\":\"evil2\"}" },
            { "DELETE", "/.recommender-models", null },
            { "POST", "/.recommender-models/_close", null },
            { "PUT", "/.recommender-models/_settings", "{\"index.blocks.write\":true}" },
            { "GET", "/.recommender-models/_search", null },
            { "POST", "/_reindex", "{\"source\":{\"index\":\".recommender-models\"},\"dest\":{\"index\":\"stolen\"}}" },
        };
        for (String[] r : refused) {
            HttpResponse<String> response = send(r[0], r[1], r[2]);
            if (r[1].equals("/mstore/_doc/evil2")) {
                // the alias was never made: this is an ordinary new index, not the store
                assertTrue(response.body(), response.statusCode() == 201);
                send("DELETE", "/mstore", null);
                continue;
            }
            assertEquals(r[0] + " " + r[1] + ": " + response.body(), 403, response.statusCode());
            assertTrue(response.body(), response.body().contains("is the model store"));
        }
        assertEquals(404, send("GET", "/stolen/_count", null).statusCode());
        assertEquals(200, send("GET", models + "kept", null).statusCode());
        assertEquals(200, send("GET", "/_plugins/_recommender/models", null).statusCode());

        // (5)-(7): hostile values get 400 naming the field, on every surface
        assertEquals(200, send("PUT", "/review", "{\"settings\":{\"number_of_replicas\":0},\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":2,\"similarity\":\"cosine\"}}}}").statusCode());
        HttpResponse<String> overflow = send("PUT", "/review/_doc/x?refresh=true", "{\"emb\":[3e38,3e38]}");
        assertEquals(overflow.body(), 400, overflow.statusCode());
        assertTrue(overflow.body(), overflow.body().contains("at most 1.0E16 in magnitude"));
        assertEquals(201, send("PUT", "/review/_doc/a?refresh=true", "{\"emb\":[1,0.5]}").statusCode());
        String deep = "{\"a\":".repeat(1500) + "1" + "}".repeat(1500);
        String[][] bad = {
            { "/review/_recommend", "{\"field\":\"emb\",\"k\":1,\"user\":{\"vector\":[1,0]},\"exclude\":{\"ids\":[null]}}", "exclude.ids" },
            { "/review/_recommend", "{\"field\":\"emb\",\"k\":1,\"user\":{\"vector\":[1,0]},\"exclude\":{\"ids\":[[\"i1\"]]}}", "exclude.ids" },
            { "/review/_recommend", "{\"field\":\"emb\",\"k\":1,\"user\":{\"vector\":[1,0]},\"exclude\":{\"ids\":[{\"a\":1}]}}", "exclude.ids" },
            { "/review/_recommend", "{\"field\":\"emb\",\"k\":1,\"user\":{\"x\":" + deep + "}}", "[user] unknown field [x]" },
            { "/review/_search", "{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":1,\"user\":{\"vector\":" + deep + "}}}}", "user.vector" },
            { "/review/_search", "{\"rescore\":{\"window_size\":10,\"recommender\":{\"field\":\"emb\",\"user\":{\"history\":" + deep + "}}}}", "user.history" },
            { "/review/_search", "{\"rescore\":{\"window_size\":-1,\"recommender\":{\"field\":\"emb\",\"user\":{\"vector\":[1,0]}}}}", "window_size" },
            { "/review/_search", "{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":1,\"user\":{\"vector\":[3e38,-3e38]}}}}", "user.vector" },
        };
        for (String[] b : bad) {
            HttpResponse<String> response = send("POST", b[0], b[1]);
            String shown = b[1].length() > 200 ? b[1].substring(0, 200) : b[1];
            assertEquals(shown + " -> " + response.body(), 400, response.statusCode());
            assertTrue(shown + " -> " + response.body(), response.body().contains(b[2]));
        }
        assertEquals(200, send("GET", "/_cluster/health?wait_for_status=green&timeout=10s", null).statusCode());
    }

    /**
     * One user spec is one user on every surface (review cases 8 and 9): a history with repeated ids is the mean of
     * its distinct items' vectors for {@code _recommend}, {@code embedding_knn} and the rescorer alike, whatever its
     * length (over 10,000 ids was a 400 in {@code _recommend}); a batch whose candidates from every shard exceed one
     * page of {@code index.max_result_window} is served (400 before), each user as if asked alone.
     */
    @Test
    public void oneUserSpecIsOneUserOnEverySurface() throws Exception {
        assertEquals(200, send("PUT", "/same", "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},"
            + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":3,\"similarity\":\"dot_product\"}}}}").statusCode());
        Random random = new Random(9);
        Map<String, float[]> vectors = new HashMap<>();
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            float[] v = { random.nextFloat() * 2 - 1, random.nextFloat() * 2 - 1, random.nextFloat() * 2 - 1 };
            vectors.put("i" + i, v);
            bulk.append("{\"index\":{\"_id\":\"i").append(i).append("\"}}\n{\"emb\":").append(java.util.Arrays.toString(v)).append("}\n");
        }
        assertFalse(JSON.readTree(send("POST", "/same/_bulk?refresh=true", bulk.toString()).body()).path("errors").asBoolean());
        assertEquals(201, send("PUT", "/same-users/_doc/h?refresh=true", "{\"history\":[\"i1\",\"i1\",\"i1\",\"i2\"]}").statusCode());

        // the definition: the mean of the distinct items (counting i1 three times would weigh it 3:1)
        float[] mean = new float[3];
        for (int d = 0; d < 3; d++) {
            mean[d] = (vectors.get("i1")[d] + vectors.get("i2")[d]) / 2;
        }
        String inline = "{\"vector\":" + java.util.Arrays.toString(mean) + "}";
        StringBuilder longHistory = new StringBuilder("[\"i1\",\"i1\",\"i1\",\"i2\"");
        for (int i = 0; i < 10_001; i++) {
            longHistory.append(",\"gone-").append(i).append('"');
        }
        String[] histories = {
            "{\"history\":[\"i1\",\"i1\",\"i1\",\"i2\"],\"index\":\"same\",\"field\":\"emb\"}",
            "{\"history\":" + longHistory + "],\"index\":\"same\",\"field\":\"emb\"}",
        };
        String recommend = "{\"field\":\"emb\",\"k\":6,\"_source\":false,\"candidates\":{\"knn\":{\"exact\":true}},\"user\":%s}";
        String knn = "{\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":6,\"user\":%s}}}";
        String rescore = "{\"size\":6,\"_source\":false,\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":40,"
            + "\"recommender\":{\"field\":\"emb\",\"score_mode\":\"replace\",\"user\":%s}}}";
        JsonNode expectedRecommend = ranked("/same/_recommend", recommend, inline, "items");
        JsonNode expectedKnn = ranked("/same/_search", knn, inline, "hits");
        JsonNode expectedRescore = ranked("/same/_search", rescore, inline, "hits");
        // the rescorer's dot scores against a double-precision reference, so the inline vector is the mean indeed
        for (JsonNode hit : expectedRescore) {
            float[] item = vectors.get(hit.get(0).asText());
            double dot = 0;
            for (int d = 0; d < 3; d++) {
                dot += (double) mean[d] * item[d];
            }
            assertEquals(hit.toString(), dot, hit.get(1).asDouble(), 1e-5);
        }
        for (String history : histories) {
            String shown = history.length() > 80 ? history.substring(0, 80) + "…" : history;
            assertEquals(shown, expectedRecommend, ranked("/same/_recommend", recommend, history, "items"));
            assertEquals(shown, expectedKnn, ranked("/same/_search", knn, history, "hits"));
            assertEquals(shown, expectedRescore, ranked("/same/_search", rescore, history, "hits"));
        }
        // a history bounded by what it makes the node hold and read: 100,001 ids is a 400 naming the field, as it is parsed
        StringBuilder tooLong = new StringBuilder("[\"i1\"");
        for (int i = 0; i < 100_000; i++) {
            tooLong.append(",\"x-").append(i).append('"');
        }
        HttpResponse<String> refused = send("POST", "/same/_recommend",
            String.format(java.util.Locale.ROOT, recommend, "{\"history\":" + tooLong + "],\"index\":\"same\",\"field\":\"emb\"}"));
        assertEquals(refused.body().substring(0, Math.min(300, refused.body().length())), 400, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("[user.history] lists more than 100000 ids but at most 100000 are allowed"));
        // a stored user's history (cold start) is the same user as well
        String stored = "{\"field\":\"emb\",\"k\":6,\"_source\":false,\"candidates\":{\"knn\":{\"exact\":true}},"
            + "\"cold_start\":{\"history_field\":\"history\"},\"user\":{\"id\":\"h\",\"index\":\"same-users\",\"field\":\"emb\"}}";
        HttpResponse<String> fromStored = send("POST", "/same/_recommend", stored);
        assertEquals(fromStored.body(), 200, fromStored.statusCode());
        assertEquals(expectedRecommend, scores(JSON.readTree(fromStored.body()).path("items")));
        // a stored user without a vector is the same 404 on the rescorer as on _recommend without cold start
        String noVector = "{\"id\":\"h\",\"index\":\"same-users\",\"field\":\"emb\"}";
        for (String[] surface : new String[][] { { "/same/_recommend", recommend }, { "/same/_search", rescore }, { "/same/_search", knn } }) {
            HttpResponse<String> missing = send("POST", surface[0], String.format(java.util.Locale.ROOT, surface[1], noVector));
            assertEquals(missing.body(), 404, missing.statusCode());
            assertTrue(missing.body(), missing.body().contains("user [h] in index [same-users] has no vector in field [emb]"));
        }

        // (8) two users, 6,000 candidates from each of 2 shards: more than one 10,000-hit page on the coordinating node
        String[] users = { "[0.5,-1,0.25]", "[-1,0.75,1]" };
        String batch = "{\"field\":\"emb\",\"k\":5,\"_source\":false,\"candidates\":{\"knn\":{\"num_candidates\":6000}},\"users\":[{\"vector\":"
            + users[0] + "},{\"vector\":" + users[1] + "}]}";
        HttpResponse<String> served = send("POST", "/same/_recommend", batch);
        assertEquals(served.body(), 200, served.statusCode());
        JsonNode results = JSON.readTree(served.body()).path("users");
        assertEquals(results.toString(), 2, results.size());
        for (int u = 0; u < 2; u++) {
            String alone = "{\"field\":\"emb\",\"k\":5,\"_source\":false,\"candidates\":{\"knn\":{\"num_candidates\":6000}},\"user\":{\"vector\":" + users[u] + "}}";
            JsonNode single = JSON.readTree(send("POST", "/same/_recommend", alone).body());
            assertEquals(scores(single.path("items")), scores(results.get(u).path("items")));
        }
    }

    /**
     * {@code "graph": false} on a real node: the plugin's vector format is found by name in the node's plugin class
     * loader when segments are read (after a merge, and again after the index is closed and reopened), and
     * {@code embedding_knn} without {@code exact} returns the true top 10 of a double-precision scan.
     */
    @Test
    public void aFieldWithoutAGraphIsReadBackAfterReopenAndRankedExactly() throws Exception {
        HttpResponse<String> created = send(
            "PUT",
            "/nograph",
            "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,\"index.codec\":\"recommender\"},"
                + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"graph\":false}}}}"
        );
        assertEquals(created.body(), 200, created.statusCode());
        Random random = new Random(20261207L);
        Map<String, float[]> vectors = new HashMap<>();
        for (int part = 0; part < 2; part++) { // two segments, merged into one below
            StringBuilder bulk = new StringBuilder();
            for (int i = part * ITEMS / 2; i < (part + 1) * ITEMS / 2; i++) {
                float[] v = randomVector(random);
                vectors.put("n" + i, v);
                bulk.append("{\"index\":{\"_id\":\"n").append(i).append("\"}}\n").append(JSON.writeValueAsString(Map.of("emb", v))).append('\n');
            }
            assertFalse(JSON.readTree(send("POST", "/nograph/_bulk?refresh=true", bulk.toString()).body()).path("errors").asBoolean());
        }
        assertEquals(200, send("POST", "/nograph/_forcemerge?max_num_segments=1", null).statusCode());
        assertEquals(200, send("POST", "/nograph/_close", null).statusCode());
        assertEquals(200, send("POST", "/nograph/_open?wait_for_active_shards=1", null).statusCode());

        float[] user = randomVector(random);
        HttpResponse<String> search = send(
            "POST",
            "/nograph/_search",
            "{\"size\":10,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":10,\"user\":{\"vector\":" + JSON.writeValueAsString(user) + "}}}}"
        );
        assertEquals(search.body(), 200, search.statusCode());
        JsonNode hits = JSON.readTree(search.body()).path("hits").path("hits");
        List<Map.Entry<String, Double>> expected = referenceRanking(user, vectors);
        assertEquals(hits.toString(), 10, hits.size());
        for (int i = 0; i < 10; i++) {
            assertEquals("rank " + i, expected.get(i).getKey(), hits.get(i).path("_id").asText());
        }
    }

    /** @return a vector of {@link #DIMS} values drawn uniformly from [-1, 1) */
    private static float[] randomVector(Random random) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** @return every item with its documented {@code dot} score for {@code user}, in double precision, best first */
    private static List<Map.Entry<String, Double>> referenceRanking(float[] user, Map<String, float[]> vectors) {
        List<Map.Entry<String, Double>> ranking = new ArrayList<>();
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            ranking.add(Map.entry(e.getKey(), ReferenceScores.dot(user, e.getValue())));
        }
        ranking.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return ranking;
    }

    /** @return the ids and scores the surface at {@code path} ranks for {@code user} ({@code where}: items or hits) */
    private static JsonNode ranked(String path, String template, String user, String where) throws Exception {
        HttpResponse<String> response = send("POST", path, String.format(java.util.Locale.ROOT, template, user));
        assertEquals(response.body().substring(0, Math.min(500, response.body().length())), 200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        JsonNode ranked = where.equals("items") ? body.path("items") : body.path("hits").path("hits");
        assertTrue(body.toString(), ranked.size() > 0);
        return scores(ranked);
    }

    /** @return [[id, score], …] of a ranked list, scores rounded to 6 significant digits */
    private static JsonNode scores(JsonNode ranked) {
        com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        for (JsonNode hit : ranked) {
            out.addArray().add(hit.path("_id").asText()).add(String.format(java.util.Locale.ROOT, "%.6g", hit.path("_score").asDouble()));
        }
        return out;
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return node.request(method, path, body);
    }
}
