package org.recommender.plugin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.recommender.core.model.BundleBase64;
import org.recommender.core.model.RandomModels;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

/**
 * Both plugins in one real node: the k-NN plugin of the same release (Maven Central serves it for 3.5.0 only, so
 * this runs on the 3.5.0 build; elsewhere it is skipped, and says so) installed before ours. They must start
 * together — no jar hell, no codec or mapper conflict — and an index may hold a {@code knn_vector} and an
 * {@code embedding} field side by side: k-NN's queries work on the one, every surface of ours on the other, and
 * k-NN's exact inner-product scoring (an independent implementation) ranks the same vectors as ours does.
 */
public class BesideKnnIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIMS = 6;
    private static final int DOCS = 60;
    private static RealNode node;

    @BeforeClass
    public static void startNode() throws Exception {
        String knn = System.getProperty("recommender.e2e.knn.zip");
        assumeTrue("no k-NN plugin for this OpenSearch release on Maven Central (" + knn + ")", knn != null && Files.exists(Path.of(knn)));
        node = RealNode.fromBuild("-knn", Path.of(knn));
    }

    @AfterClass
    public static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    public void bothPluginsServeOneIndex() throws Exception {
        String plugins = send("GET", "/_cat/plugins?h=component", null).body();
        assertTrue(plugins, plugins.contains("opensearch-knn"));
        assertTrue(plugins, plugins.contains("opensearch-recommender"));

        assertEquals(200, send("PUT", "/both", "{\"settings\":{\"index.knn\":true,\"number_of_shards\":2,\"number_of_replicas\":0},"
            + "\"mappings\":{\"properties\":{"
            + "\"kv\":{\"type\":\"knn_vector\",\"dimension\":" + DIMS + ",\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\",\"space_type\":\"innerproduct\"}},"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"similarity\":\"dot_product\"},"
            + "\"tag\":{\"type\":\"keyword\"}}}}").statusCode());
        Random random = new Random(3);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < DOCS; i++) {
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = Math.round((random.nextFloat() * 2 - 1) * 1000) / 1000f;
            }
            String vector = Arrays.toString(v);
            bulk.append("{\"index\":{\"_id\":\"d").append(i).append("\"}}\n{\"kv\":").append(vector).append(",\"emb\":").append(vector)
                .append(",\"tag\":\"").append(i % 2 == 0 ? "even" : "odd").append("\"}\n");
        }
        JsonNode indexed = JSON.readTree(send("POST", "/both/_bulk?refresh=true", bulk.toString()).body());
        assertFalse(indexed.toString(), indexed.path("errors").asBoolean());

        String user = "[0.5,-1,0.25,1,-0.5,0.75]";
        // k-NN's own query and its exact inner-product script on kv ...
        JsonNode knn = search("/both/_search", "{\"size\":5,\"_source\":false,\"query\":{\"knn\":{\"kv\":{\"vector\":" + user + ",\"k\":5}}}}");
        assertEquals(5, knn.size());
        JsonNode knnExact = search("/both/_search", "{\"size\":10,\"_source\":false,\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},"
            + "\"script\":{\"source\":\"knn_score\",\"lang\":\"knn\",\"params\":{\"field\":\"kv\",\"query_value\":" + user + ",\"space_type\":\"innerproduct\"}}}}}");
        // ... and ours on emb, over the same vectors
        JsonNode ours = search("/both/_search", "{\"size\":10,\"_source\":false,\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},"
            + "\"script\":{\"lang\":\"recommender\",\"source\":\"dot\",\"params\":{\"field\":\"emb\",\"vector\":" + user + "}}}}}");
        assertEquals("the same vectors rank alike under both plugins' exact inner product", ids(knnExact), ids(ours));
        JsonNode embeddingKnn = search("/both/_search", "{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":10,"
            + "\"exact\":true,\"user\":{\"vector\":" + user + "}}}}");
        assertEquals(ids(ours), ids(embeddingKnn));
        // our rescorer over k-NN's candidates
        JsonNode rescored = search("/both/_search", "{\"size\":5,\"_source\":false,\"query\":{\"knn\":{\"kv\":{\"vector\":" + user + ",\"k\":20}}},"
            + "\"rescore\":{\"window_size\":20,\"recommender\":{\"field\":\"emb\",\"score_mode\":\"replace\",\"user\":{\"vector\":" + user + "}}}}");
        assertEquals(5, rescored.size());
        // _recommend with a stored model, filtered
        String bundle = JSON.writeValueAsString(Map.of("bundle", BundleBase64.encode(RandomModels.mlp(DIMS, new int[] { 8 }, 4).toBytes())));
        assertEquals(201, send("PUT", "/_plugins/_recommender/models/beside", bundle).statusCode());
        HttpResponse<String> recommended = send("POST", "/both/_recommend", "{\"field\":\"emb\",\"k\":4,\"model\":\"beside\",\"_source\":false,"
            + "\"filter\":{\"term\":{\"tag\":\"even\"}},\"user\":{\"vector\":" + user + "}}");
        assertEquals(recommended.body(), 200, recommended.statusCode());
        JsonNode items = JSON.readTree(recommended.body()).path("items");
        assertEquals(4, items.size());
        for (JsonNode item : items) {
            int n = Integer.parseInt(item.path("_id").asText().substring(1));
            assertEquals("the filter holds: " + items, 0, n % 2);
        }

        // knn_vector fields as item (and user) vectors on every surface: the same scores as the embedding field
        assertEquals(scored(ours), scored(search("/both/_search", "{\"size\":10,\"_source\":false,\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},"
            + "\"script\":{\"lang\":\"recommender\",\"source\":\"dot\",\"params\":{\"field\":\"kv\",\"vector\":" + user + "}}}}}")));
        assertEquals(scored(embeddingKnn), scored(search("/both/_search", "{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"kv\","
            + "\"k\":10,\"exact\":true,\"user\":{\"vector\":" + user + "}}}}")));
        String rescoreOn = "{\"size\":8,\"_source\":false,\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":60,\"recommender\":{\"field\":\"%s\","
            + "\"score_mode\":\"replace\",\"user\":%s}}}";
        assertEquals(200, send("PUT", "/knn-users", "{\"settings\":{\"index.knn\":true,\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
            + "\"uv\":{\"type\":\"knn_vector\",\"dimension\":" + DIMS + ",\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\",\"space_type\":\"innerproduct\"}}}}}").statusCode());
        HttpResponse<String> stored = send("PUT", "/knn-users/_doc/u1?refresh=true", "{\"uv\":" + user + "}");
        assertEquals(stored.body(), 201, stored.statusCode());
        String byVector = "{\"vector\":" + user + "}";
        JsonNode rescoredEmb = search("/both/_search", String.format(java.util.Locale.ROOT, rescoreOn, "emb", byVector));
        assertEquals(scored(rescoredEmb), scored(search("/both/_search", String.format(java.util.Locale.ROOT, rescoreOn, "kv", byVector))));
        assertEquals("a stored user read from a knn_vector field", scored(rescoredEmb), scored(search("/both/_search",
            String.format(java.util.Locale.ROOT, rescoreOn, "kv", "{\"id\":\"u1\",\"index\":\"knn-users\",\"field\":\"uv\"}"))));
        String recommendOn = "{\"field\":\"%s\",\"k\":5,\"model\":\"beside\",\"_source\":false,\"candidates\":{\"knn\":{\"exact\":true}},"
            + "\"users\":[{\"vector\":" + user + "},{\"vector\":[1,0,0,0,0,1]}]}";
        HttpResponse<String> onEmb = send("POST", "/both/_recommend", String.format(java.util.Locale.ROOT, recommendOn, "emb"));
        HttpResponse<String> onKv = send("POST", "/both/_recommend", String.format(java.util.Locale.ROOT, recommendOn, "kv"));
        assertEquals(onKv.body(), 200, onKv.statusCode());
        assertEquals(JSON.readTree(onEmb.body()).path("users"), JSON.readTree(onKv.body()).path("users"));

        // k-NN's exact-search layout (index.knn: false: doc values, no Lucene vectors) is read as well
        assertEquals(200, send("PUT", "/exact-only", "{\"settings\":{\"index.knn\":false,\"number_of_shards\":1,\"number_of_replicas\":0},"
            + "\"mappings\":{\"properties\":{\"dv\":{\"type\":\"knn_vector\",\"dimension\":" + DIMS + ",\"space_type\":\"innerproduct\"},"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"index\":false}}}}").statusCode());
        JsonNode copied = JSON.readTree(send("POST", "/exact-only/_bulk?refresh=true", bulk.toString().replace("\"kv\":", "\"dv\":")).body());
        assertFalse(copied.toString(), copied.path("errors").asBoolean());
        String overDv = "{\"size\":10,\"_source\":false,\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},"
            + "\"script\":{\"lang\":\"recommender\",\"source\":\"dot\",\"params\":{\"field\":\"%s\",\"vector\":" + user + "}}}}}";
        assertEquals(scored(ours), scored(search("/exact-only/_search", String.format(java.util.Locale.ROOT, overDv, "dv"))));
        assertEquals(scored(ours), scored(search("/exact-only/_search", String.format(java.util.Locale.ROOT, overDv, "emb"))));
        // a knn_vector without a graph Lucene searches (no index.knn here) is scanned exactly even when the query does
        // not ask for it: Lucene's graph search found no vectors in it, 200 with 0 hits
        assertEquals(scored(embeddingKnn), scored(search("/exact-only/_search", "{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":"
            + "{\"field\":\"dv\",\"k\":10,\"user\":{\"vector\":" + user + "}}}}")));

        // k-NN accepts float-range vectors our bound refuses at index time; read by our surfaces they fail the request
        // with a 400 naming the field instead of scoring infinity or NaN
        assertEquals(201, send("PUT", "/knn-users/_doc/huge?refresh=true", "{\"uv\":[3e38,3e38,0,0,0,0]}").statusCode());
        HttpResponse<String> overflow = send("POST", "/knn-users/_search", "{\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},"
            + "\"script\":{\"lang\":\"recommender\",\"source\":\"dot\",\"params\":{\"field\":\"uv\",\"vector\":[1,1,0,0,0,0]}}}}}");
        assertEquals(overflow.body(), 400, overflow.statusCode());
        assertTrue(overflow.body(), overflow.body().contains("at most 1.0E16 in magnitude"));

        // an index of ours with our codec beside k-NN's: no codec conflict
        assertEquals(200, send("PUT", "/ours", "{\"settings\":{\"index.codec\":\"recommender\",\"number_of_replicas\":0},"
            + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"m\":8,\"ef_construction\":32}}}}").statusCode());
        assertEquals(201, send("PUT", "/ours/_doc/a?refresh=true", "{\"emb\":" + user + "}").statusCode());
        assertEquals(200, send("POST", "/ours/_forcemerge?max_num_segments=1", null).statusCode());
        assertEquals(1, search("/ours/_search", "{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":1,\"user\":{\"vector\":" + user + "}}}}").size());
        // in a k-NN index k-NN's codec writes every vector field: our graph choices would be silently ignored, so the
        // mapping is refused instead
        for (String graph : new String[] { "\"graph\":false", "\"m\":8" }) {
            HttpResponse<String> knnIndex = send("PUT", "/ours-in-knn", "{\"settings\":{\"index.knn\":true,\"index.codec\":\"recommender\"},"
                + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "," + graph + "}}}}");
            assertEquals(knnIndex.body(), 400, knnIndex.statusCode());
            assertTrue(knnIndex.body(), knnIndex.body().contains("no effect in an index with \\\"index.knn\\\": true"));
        }
        assertEquals(200, send("GET", "/_cluster/health?wait_for_status=green&timeout=10s", null).statusCode());
    }

    private static JsonNode search(String path, String body) throws Exception {
        HttpResponse<String> response = send("POST", path, body);
        assertEquals(body + " -> " + response.body(), 200, response.statusCode());
        JsonNode parsed = JSON.readTree(response.body());
        assertEquals(parsed.toString(), 0, parsed.path("_shards").path("failed").asInt());
        return parsed.path("hits").path("hits");
    }

    /** @return "id=score" of each hit, scores to 6 significant digits */
    private static List<String> scored(JsonNode hits) {
        List<String> out = new ArrayList<>();
        hits.forEach(hit -> out.add(hit.path("_id").asText() + "=" + String.format(java.util.Locale.ROOT, "%.6g", hit.path("_score").asDouble())));
        return out;
    }

    private static List<String> ids(JsonNode hits) {
        List<String> out = new ArrayList<>();
        hits.forEach(hit -> out.add(hit.path("_id").asText()));
        return out;
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return node.request(method, path, body);
    }
}
