package org.recommender.plugin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.plugin.EncoderReference;
import org.recommender.plugin.ExpectedRankings;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.recommender.plugin.ExpectedRankings.COSINE_SCORE;
import static org.recommender.plugin.ExpectedRankings.DOT_SCORE;
import static org.recommender.plugin.ExpectedRankings.RAW_DOT;
import static org.recommender.plugin.ExpectedRankings.assertRanking;
import static org.recommender.plugin.ExpectedRankings.dot;
import static org.recommender.plugin.ExpectedRankings.ids;

/**
 * Users encoded from their history by a stored user encoder ({@code {"history", "index", "field", "encoder"}}) in the
 * built zip, installed into a real node of its own ({@link RealNode}), over HTTP: {@code embedding_knn} and
 * {@code script_score} (dot and cosine fields), the {@code recommender} rescorer (plain dot and a stored model) and {@code _recommend} (one user,
 * explained; a batch; a stored user's history through {@code cold_start.encoder}) each rank as a reference computed
 * here in double precision ({@link EncoderReference}: GRU4Rec's recurrence, Mult-DAE's {@code tanh(Σ e/√n + b)});
 * reversing a history moves a {@code gru4rec} user and not a {@code multdae} one; a replaced encoder takes effect;
 * and every bad encoder user ({@link HostileInputs#encoderUsers}) gets its status and words on every surface.
 */
public class EncoderUsersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIMS = 8;
    private static final int HIDDEN = 6;
    private static final int ITEMS = 200;
    private static final int MAX_LENGTH = 10;
    private static final List<String> HISTORY = List.of("i3", "i8", "i21", "i8", "i40");


    private static RealNode node;
    private static final Map<String, float[]> ITEM_VECTORS = new LinkedHashMap<>();

    @BeforeClass
    public static void startNodeAndIndex() throws Exception {
        node = RealNode.fromBuild("-encoders");
        HttpResponse<String> created = send("PUT", "/items", "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"similarity\":\"dot_product\"},"
            + "\"cos\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"similarity\":\"cosine\"},\"title\":{\"type\":\"keyword\"}}}}");
        assertEquals(created.body(), 200, created.statusCode());
        assertEquals(200, send("PUT", "/narrow", "{\"settings\":{\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":3}}}}").statusCode());
        assertEquals(200, send("PUT", "/users", "{\"settings\":{\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},\"history\":{\"type\":\"keyword\"}}}}").statusCode());
        Random random = new Random(17);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = Math.round((random.nextFloat() * 2 - 1) * 1000) / 1000f;
            }
            ITEM_VECTORS.put("i" + i, v);
            bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"i").append(i).append("\"}}\n")
                .append(JSON.writeValueAsString(Map.of("emb", v, "cos", v, "title", "item " + i))).append('\n');
        }
        bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"novec\"}}\n{\"title\":\"no vector\"}\n");
        bulk.append("{\"index\":{\"_index\":\"narrow\",\"_id\":\"n1\"}}\n{\"emb\":[1,2,3]}\n");
        bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"cold\"}}\n").append(JSON.writeValueAsString(Map.of("history", HISTORY))).append('\n');
        JsonNode indexed = JSON.readTree(send("POST", "/_bulk?refresh=true", bulk.toString()).body());
        assertFalse(indexed.toString(), indexed.path("errors").asBoolean());
        upload("gru", RandomModels.gru4rec(DIMS, HIDDEN, DIMS, MAX_LENGTH, 11));
        upload("dae", RandomModels.multdae(DIMS, 50, 12));
        upload("dot8", ModelBundle.dot(DIMS));
        upload("swap", RandomModels.gru4rec(DIMS, HIDDEN, DIMS, MAX_LENGTH, 1));
    }

    @AfterClass
    public static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private static void upload(String id, ModelBundle bundle) throws Exception {
        HttpResponse<String> put = send("PUT", "/_plugins/_recommender/models/" + id, "{\"bundle\":\"" + Base64.getEncoder().encodeToString(bundle.toBytes()) + "\"}");
        assertTrue(put.body(), put.statusCode() == 200 || put.statusCode() == 201);
    }

    private static String spec(String encoder, List<String> history) throws Exception {
        return "{\"history\":" + JSON.writeValueAsString(history) + ",\"index\":\"items\",\"field\":\"emb\",\"encoder\":\"" + encoder + "\"}";
    }

    private static double[] gru(List<String> history, long seed) {
        return EncoderReference.gru4rec(ITEM_VECTORS, history, DIMS, HIDDEN, DIMS, seed);
    }

    @Test
    public void embeddingKnnScriptScoreAndTheRescorerRankAsTheEncodersFormula() throws Exception {
        double[] u = gru(HISTORY, 11);
        for (String field : List.of("emb", "cos")) {
            JsonNode hits = search("{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"" + field + "\",\"k\":10,\"exact\":true,"
                + "\"user\":" + spec("gru", HISTORY) + "}}}");
            assertRanking("embedding_knn on " + field, hits, ranking(u, Set.of(), field.equals("emb") ? DOT_SCORE : COSINE_SCORE), 10);
            JsonNode scripted = search("{\"size\":10,\"_source\":false,\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},\"script\":{"
                + "\"lang\":\"recommender\",\"source\":\"" + (field.equals("emb") ? "dot" : "cosine") + "\",\"params\":{\"field\":\"" + field
                + "\",\"user\":" + spec("gru", HISTORY) + "}}}}}");
            assertRanking("script_score on " + field, scripted, ranking(u, Set.of(), field.equals("emb") ? DOT_SCORE : COSINE_SCORE), 10);
        }
        for (String scorer : List.of("\"source\":\"dot\"", "\"model\":\"dot8\"")) {
            JsonNode hits = search("{\"size\":" + (ITEMS + 1) + ",\"_source\":false,\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":" + (ITEMS + 1)
                + ",\"recommender\":{\"field\":\"emb\"," + scorer + ",\"score_mode\":\"replace\",\"user\":" + spec("dae", HISTORY) + "}}}");
            assertEquals(ITEMS + 1, hits.size());
            double[] dae = EncoderReference.multdae(ITEM_VECTORS, HISTORY, DIMS, 12);
            for (JsonNode hit : hits) {
                float[] v = ITEM_VECTORS.get(hit.path("_id").asText());
                double expected = v == null ? 1.0 : dot(dae, v);
                assertEquals(scorer + " " + hit.path("_id").asText(), expected, hit.path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(expected)));
            }
        }
    }

    @Test
    public void recommendNamesTheEncoderAndRanksAsItsFormula() throws Exception {
        double[] u = gru(HISTORY, 11);
        JsonNode one = recommend("{\"field\":\"emb\",\"k\":15,\"_source\":false,\"explain\":true,"
            + "\"candidates\":{\"knn\":{\"num_candidates\":1000,\"exact\":true}},\"user\":" + spec("gru", HISTORY) + "}");
        assertEquals("history", one.path("strategy").asText());
        assertRanking("_recommend", one.path("items"), ranking(u, Set.of(), DOT_SCORE), 15);
        long version = JSON.readTree(send("GET", "/_plugins/_recommender/models/gru", null).body()).path("_version").asLong();
        assertEquals("encoder [gru] version [" + version + "] (gru4rec)", one.path("items").get(0).path("_explanation").path("user_encoded_by").asText());

        JsonNode batch = recommend("{\"field\":\"emb\",\"k\":15,\"_source\":false,\"model\":\"dot8\","
            + "\"candidates\":{\"knn\":{\"num_candidates\":" + ITEMS + ",\"exact\":true}},\"users\":[" + spec("gru", HISTORY) + "," + spec("dae", HISTORY) + "]}");
        assertRanking("batch gru4rec", batch.path("users").get(0).path("items"), ranking(u, Set.of(), RAW_DOT), 15);
        assertRanking("batch multdae", batch.path("users").get(1).path("items"),
            ranking(EncoderReference.multdae(ITEM_VECTORS, HISTORY, DIMS, 12), Set.of(), RAW_DOT), 15);

        String cold = "{\"field\":\"emb\",\"k\":12,\"_source\":false,\"candidates\":{\"knn\":{\"num_candidates\":1000,\"exact\":true}},"
            + "\"user\":{\"id\":\"cold\",\"index\":\"users\",\"field\":\"emb\"},\"cold_start\":{\"history_field\":\"history\"%s}}";
        assertRanking("cold start, gru4rec", recommend(String.format(java.util.Locale.ROOT, cold, ",\"encoder\":\"gru\"")).path("items"),
            ranking(u, Set.of(), DOT_SCORE), 12);
        assertRanking("cold start, mean", recommend(String.format(java.util.Locale.ROOT, cold, "")).path("items"),
            ranking(EncoderReference.mean(ITEM_VECTORS, HISTORY, DIMS), Set.of(), DOT_SCORE), 12);

        long encodes = 0;
        for (JsonNode n : JSON.readTree(send("GET", "/_plugins/_recommender/stats", null).body()).path("nodes")) {
            encodes += n.path("counters").path("user_encodes").asLong();
        }
        assertTrue("encodes counted: " + encodes, encodes >= 4);
    }

    @Test
    public void theOrderMattersToGru4recAndNotToMultdae() throws Exception {
        List<String> reversed = new ArrayList<>(HISTORY);
        Collections.reverse(reversed);
        String knn = "{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":10,\"exact\":true,\"user\":%s}}}";
        JsonNode forward = search(String.format(java.util.Locale.ROOT, knn, spec("gru", HISTORY)));
        JsonNode backward = search(String.format(java.util.Locale.ROOT, knn, spec("gru", reversed)));
        assertNotEquals("reversed, a gru4rec user moves", ids(forward), ids(backward));
        assertRanking("gru4rec reversed", backward, ranking(gru(reversed, 11), Set.of(), DOT_SCORE), 10);
        JsonNode set = search(String.format(java.util.Locale.ROOT, knn, spec("dae", HISTORY)));
        for (List<String> same : List.of(reversed, new ArrayList<>(new LinkedHashSet<>(HISTORY)))) {
            JsonNode other = search(String.format(java.util.Locale.ROOT, knn, spec("dae", same)));
            assertEquals(ids(set), ids(other));
            for (int r = 0; r < 10; r++) {
                assertEquals(set.get(r).path("_score").asDouble(), other.get(r).path("_score").asDouble(), 0.0);
            }
        }
    }

    @Test
    public void aReplacedEncoderTakesEffect() throws Exception {
        String knn = "{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":10,\"exact\":true,\"user\":"
            + spec("swap", HISTORY) + "}}}";
        assertRanking("version 1", search(knn), ranking(gru(HISTORY, 1), Set.of(), DOT_SCORE), 10);
        upload("swap", RandomModels.gru4rec(DIMS, HIDDEN, DIMS, MAX_LENGTH, 2));
        assertRanking("version 2", search(knn), ranking(gru(HISTORY, 2), Set.of(), DOT_SCORE), 10);
    }

    @Test
    public void badEncoderUsersGetTheirStatusNamingTheProblem() throws Exception {
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i <= MAX_LENGTH; i++) {
            eleven.add("i" + i);
        }
        List<HostileInputs.Expected> cases = new HostileInputs(20261206L, DIMS).encoderUsers(
            "items",
            new String[] { spec("dot8", HISTORY), "400", "[user.encoder] model [dot8] is a [dot] model, which scores items" },
            new String[] { spec("gru", eleven), "400", "[user.history] has 11 items but [user.encoder] [gru] (gru4rec) reads at most 10, its [max_length]" },
            new String[] { spec("gru", List.of("i1", "ghost", "novec")), "400",
                "[user.history] items [ghost, novec] are missing or have no vector in field [emb] of index [items]" },
            new String[] { "{\"history\":[\"n1\"],\"index\":\"narrow\",\"field\":\"emb\",\"encoder\":\"gru\"}", "400",
                "[user.encoder] [gru] (gru4rec) reads item vectors of 8 dimensions but field [emb] of index [narrow] holds 3" }
        );
        assertEquals(3 * 11, cases.size());
        List<String> wrong = new ArrayList<>();
        for (HostileInputs.Expected c : cases) {
            check(wrong, c.surface(), c.path(), c.body(), c.status(), c.words());
        }
        String inline = "{\"vector\":[1,2,3,4,5,6,7,8]}";
        check(wrong, "recommend", "/items/_recommend", "{\"field\":\"emb\",\"model\":\"gru\",\"user\":" + inline + "}", 400,
            "[model] model [gru] is a user encoder [gru4rec]");
        check(wrong, "rescorer", "/items/_search", "{\"query\":{\"match_all\":{}},\"rescore\":{\"recommender\":{\"field\":\"emb\",\"model\":\"gru\",\"user\":"
            + inline + "}}}", 400, "[model] model [gru] is a user encoder [gru4rec]");
        check(wrong, "script_score", "/items/_search", "{\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},\"script\":{\"lang\":\"recommender\","
            + "\"source\":\"model\",\"params\":{\"field\":\"emb\",\"model\":\"gru\",\"vector\":[1,2,3,4,5,6,7,8]}}}}}", 400,
            "[params.model] model [gru] is a user encoder [gru4rec]");
        assertTrue(wrong.size() + " wrong:\n" + String.join("\n", wrong), wrong.isEmpty());
    }

    private static void check(List<String> wrong, String surface, String path, String body, int status, String words) throws Exception {
        HttpResponse<String> response = send("POST", path, body);
        JsonNode parsed = JSON.readTree(response.body());
        if (response.statusCode() != status || parsed.path("status").asInt() != status || response.body().contains(words) == false) {
            wrong.add(surface + " " + body + " -> " + response.statusCode() + " " + response.body() + " (wanted " + status + " " + words + ")");
        }
    }

    private static JsonNode recommend(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/items/_recommend", body);
        assertEquals(body + " -> " + response.body(), 200, response.statusCode());
        return JSON.readTree(response.body());
    }

    private static JsonNode search(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/items/_search", body);
        assertEquals(body + " -> " + response.body(), 200, response.statusCode());
        JsonNode parsed = JSON.readTree(response.body());
        assertEquals(parsed.toString(), 0, parsed.path("_shards").path("failed").asInt());
        return parsed.path("hits").path("hits");
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return node.request(method, path, body);
    }

    private static List<Map.Entry<String, Double>> ranking(double[] u, Set<String> excluded, ToDoubleBiFunction<double[], float[]> score) {
        return ExpectedRankings.ranking(ITEM_VECTORS, u, excluded, score);
    }
}
