package org.recommender.plugin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
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
 * The built zip, installed into a real OpenSearch 3.6.0 node from the Maven Central distribution, over HTTP:
 * the mapping, indexing with a bad row in the bulk, exact ranking against independently computed scores, error
 * statuses, the stats endpoint proving ND4J loaded inside the node, and {@code _recommend} with an uploaded model
 * through an alias, and over a thousand generated hostile requests to every surface: each must get a 4xx with a
 * reason, and the node, its documents and its stored model must come out unchanged.
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
            float[] v = new float[DIMS];
            for (int k = 0; k < DIMS; k++) {
                v[k] = random.nextFloat() * 2 - 1;
            }
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

        float[] user = new float[DIMS];
        for (int k = 0; k < DIMS; k++) {
            user[k] = random.nextFloat() * 2 - 1;
        }
        int k = 15;
        String query = "{\"size\":" + k + ",\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},"
            + "\"script\":{\"lang\":\"recommender\",\"source\":\"dot\",\"params\":{\"field\":\"emb\",\"vector\":" + JSON.writeValueAsString(user) + "}}}}}";
        HttpResponse<String> search = send("POST", "/items/_search", query);
        assertEquals(search.body(), 200, search.statusCode());
        JsonNode hits = JSON.readTree(search.body()).path("hits").path("hits");
        List<Map.Entry<String, Double>> expected = new ArrayList<>();
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            expected.add(Map.entry(e.getKey(), ReferenceScores.dot(user, e.getValue())));
        }
        expected.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
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
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = random.nextFloat() * 2 - 1;
            }
            vectors.put("p" + i, v);
            bulk.append("{\"index\":{\"_id\":\"p").append(i).append("\"}}\n");
            bulk.append(JSON.writeValueAsString(Map.of("emb", v, "name", "product " + i))).append('\n');
        }
        assertFalse(JSON.readTree(send("POST", "/catalog/_bulk?refresh=true", bulk.toString()).body()).path("errors").asBoolean());

        ModelBundle neumf = ModelBundle.randomNeumf(DIMS, new int[] { 16, 8 }, 3);
        HttpResponse<String> put = send(
            "PUT",
            "/_plugins/_recommender/models/shop-ranker",
            "{\"bundle\":\"" + Base64.getEncoder().encodeToString(neumf.toBytes()) + "\"}"
        );
        assertEquals(put.body(), 201, put.statusCode());

        float[] user = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            user[d] = random.nextFloat() * 2 - 1;
        }
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
        ScoringModel reference = neumf.compile(ModelBundle.NEVER_ND4J);
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
        assertEquals(unknownModel.body(), 400, unknownModel.statusCode());
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
        ModelBundle model = ModelBundle.randomMlp(dims, new int[] { 8 }, 9);
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
        }
        Map<String, Integer> statuses = new java.util.TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (HostileInputs.Hostile h : requests) {
            HttpResponse<String> response = send(h.method(), h.path(), h.body());
            statuses.merge(h.surface() + " " + response.statusCode(), 1, Integer::sum);
            boolean clientError = response.statusCode() >= 400 && response.statusCode() < 500;
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
            { "/review/_recommend", "{\"field\":\"emb\",\"k\":1,\"user\":{\"x\":" + deep + "}}", "user.x" },
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

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return node.request(method, path, body);
    }
}
