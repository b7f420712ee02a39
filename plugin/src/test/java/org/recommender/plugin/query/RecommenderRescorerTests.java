package org.recommender.plugin.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.client.Request;
import org.opensearch.client.RestClient;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.core.model.FiniteScores;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;
import org.recommender.plugin.RecommenderHttpIntegTestCase;
import org.recommender.plugin.ReferenceScores;
import org.recommender.plugin.compute.NativeComputeService;

import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * The {@code recommender} rescorer on two nodes and three shards: scores equal the query score and the model score
 * combined as documented (the model score computed here, outside the plugin), the user looked up or encoded from
 * history, a model update through one node used by a search through the other, explanations, and the 4xx errors.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class RecommenderRescorerTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 8;
    private final Map<String, float[]> items = new HashMap<>();
    private float[] user;



    private void setUpData(RestClient rest) throws IOException {
        send(rest, "PUT", "/items", "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1},"
            + "\"mappings\":{\"properties\":{\"title\":{\"type\":\"text\"},\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},"
            + "\"tag\":{\"type\":\"keyword\"}}}}", 200);
        send(rest, "PUT", "/users", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}}", 200);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            float[] v = randomVector();
            String title = (i % 3 == 0 ? "red shoe" : i % 3 == 1 ? "red red hat" : "blue coat") + (i % 7 == 0 ? " red" : "");
            Map<String, Object> doc = new HashMap<>();
            doc.put("title", title);
            if (i % 11 != 5) { // some items have no vector
                items.put("i" + i, v);
                doc.put("emb", v);
            }
            bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"i").append(i).append("\"}}\n").append(JSON.writeValueAsString(doc)).append('\n');
        }
        user = randomVector();
        bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"u1\"}}\n").append(JSON.writeValueAsString(Map.of("emb", user))).append('\n');
        bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"novec\"}}\n{}\n");
        bulk(rest, bulk.toString());
    }

    public void testRescoredScoresFollowTheModelAcrossNodes() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        try (RestClient a = clientFor(nodes[0]); RestClient b = clientFor(nodes[1])) {
            setUpData(a);
            ModelBundle v1 = RandomModels.mlp(DIMS, new int[] { 16, 8 }, 7);
            putModel(a, "ranker", v1);

            Map<String, Double> queryScores = queryScores(b);
            String rescored = "{\"size\":100,\"query\":{\"match\":{\"title\":\"red\"}},\"rescore\":{\"window_size\":100,\"recommender\":{"
                + "\"user\":{\"id\":\"u1\",\"index\":\"users\",\"field\":\"emb\"},\"field\":\"emb\",\"model\":\"ranker\","
                + "\"query_weight\":0.5,\"model_weight\":2}}}";
            assertRescored(send(b, "POST", "/items/_search", rescored, 200), queryScores, v1.compile(), user, 0.5f, 2f, ScoreMode.TOTAL);

            ModelBundle v2 = RandomModels.mlp(DIMS, new int[] { 16, 8 }, 8);
            putModel(b, "ranker", v2);
            assertRescored(send(a, "POST", "/items/_search", rescored, 200), queryScores, v2.compile(), user, 0.5f, 2f, ScoreMode.TOTAL);

            // the same stored model per document in script_score (Java kernel), through the other node
            String script = "{\"size\":100,\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},\"script\":{\"lang\":\"recommender\","
                + "\"source\":\"model\",\"params\":{\"model\":\"ranker\",\"field\":\"emb\",\"vector\":" + JSON.writeValueAsString(user) + "}}}}}";
            ScoringModel current = v2.compile();
            for (JsonNode hit : send(b, "POST", "/items/_search", script, 200).path("hits").path("hits")) {
                float[] v = items.get(hit.path("_id").asText());
                double raw = v == null ? Double.NaN : current.score(user, v);
                double expected = v == null ? 0 : raw < 0 ? 1 / (1 - raw) : raw + 1;
                assertEquals(hit.path("_id").asText(), expected, hit.path("_score").asDouble(), 1e-5 * Math.max(1, expected));
            }
            assertError(b, "POST", "/items/_search", script.replace("\"ranker\"", "\"nope\""), 404, "model [nope] not found");

            // history encoder: the mean of the listed items' vectors; plain cosine; replace mode
            float[] mean = new float[DIMS];
            for (String id : List.of("i0", "i1", "i2")) {
                for (int k = 0; k < DIMS; k++) {
                    mean[k] += items.get(id)[k] / 3f;
                }
            }
            String history = "{\"size\":100,\"query\":{\"match\":{\"title\":\"red\"}},\"rescore\":{\"window_size\":100,\"recommender\":{"
                + "\"user\":{\"history\":[\"i0\",\"i1\",\"i2\"],\"index\":\"items\",\"field\":\"emb\"},\"field\":\"emb\",\"source\":\"cosine\","
                + "\"score_mode\":\"replace\"}}}";
            JsonNode hits = send(a, "POST", "/items/_search", history, 200).path("hits").path("hits");
            assertThat(hits.size(), equalTo(queryScores.size()));
            for (JsonNode hit : hits) {
                float[] v = items.get(hit.path("_id").asText());
                double expected = v == null ? queryScores.get(hit.path("_id").asText()) : ReferenceScores.rawCosine(mean, v);
                assertEquals(hit.path("_id").asText(), expected, hit.path("_score").asDouble(), 1e-5);
            }

            // a query_weight near float's largest value: the weighted query score of a document without a vector
            // passed float's range (infinity outranked every scored document); now bounded like every score
            String heavy = "{\"size\":100,\"query\":{\"match\":{\"title\":{\"query\":\"red\",\"boost\":10}}},\"rescore\":{\"window_size\":100,"
                + "\"recommender\":{\"user\":{\"vector\":" + JSON.writeValueAsString(user) + "},\"field\":\"emb\",\"source\":\"dot\","
                + "\"query_weight\":3e38}}}";
            int unvectored = 0;
            for (JsonNode hit : send(b, "POST", "/items/_search?explain=true", heavy, 200).path("hits").path("hits")) {
                double score = hit.path("_score").asDouble();
                assertTrue(hit.path("_id").asText() + " scored " + hit.path("_score"), Double.isFinite(score) && Math.abs(score) <= FiniteScores.MAX);
                assertTrue(hit.path("_explanation").toString(), Double.isFinite(hit.path("_explanation").path("value").asDouble()));
                unvectored += items.containsKey(hit.path("_id").asText()) ? 0 : 1;
            }
            assertThat("the window holds documents without a vector", unvectored, greaterThan(0));

            JsonNode explained = send(a, "POST", "/items/_search?explain=true", rescored.replace("\"size\":100", "\"size\":1"), 200);
            String explanation = explained.path("hits").path("hits").get(0).path("_explanation").toString();
            assertThat(explanation, containsString("recommender rescore, score_mode [total]"));
            assertThat(explanation, containsString("model [ranker] v2 (mlp)"));
        }
    }

    /**
     * A window whose vectors take more than a search thread keeps between requests ({@link RecommenderRescorer#REUSED_BYTES})
     * gets rows of its own, reserved on the node's {@code request} breaker: under a limit one byte below them the
     * search is refused with 429 naming them, while a window small enough to reuse the thread's rows passes; with the
     * limit back the large window is rescored as the formula says, and the breaker holds after what it held before.
     */
    public void testAWindowTooLargeToReuseIsReservedOnTheRequestBreaker() throws Exception {
        RestClient rest = getRestClient();
        int dims = 512;
        int docs = 600;
        long ownRows = RecommenderRescorer.rowBytes(docs, dims);
        assertTrue(ownRows + " bytes", ownRows > RecommenderRescorer.REUSED_BYTES);
        send(rest, "PUT", "/wide", "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
            + "\"mappings\":{\"properties\":{\"title\":{\"type\":\"text\"},\"emb\":{\"type\":\"embedding\",\"dims\":" + dims + "}}}}", 200);
        java.util.Random random = new java.util.Random(11);
        Map<String, float[]> vectors = new HashMap<>();
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < docs; i++) {
            float[] v = new float[dims];
            for (int k = 0; k < dims; k++) {
                v[k] = Math.round((random.nextFloat() * 2 - 1) * 100) / 100f;
            }
            vectors.put("w" + i, v);
            bulk.append("{\"index\":{\"_index\":\"wide\",\"_id\":\"w").append(i).append("\"}}\n")
                .append(JSON.writeValueAsString(Map.of("title", "item", "emb", v))).append('\n');
        }
        bulk(rest, bulk.toString());
        float[] u = vectors.get("w0");
        // %s of a number, not %d: the test locale is random, and %d writes some locales' own digits
        String rescore = "{\"size\":%s,\"query\":{\"match\":{\"title\":\"item\"}},\"rescore\":{\"window_size\":%s,\"recommender\":{"
            + "\"user\":{\"vector\":" + JSON.writeValueAsString(u) + "},\"field\":\"emb\",\"source\":\"dot\",\"score_mode\":\"replace\"}}}";
        long before = settledRequestBreakerBytes(rest);
        try {
            send(rest, "PUT", "/_cluster/settings", "{\"transient\":{\"indices.breaker.request.limit\":\"" + (ownRows - 1) + "b\"}}", 200);
            assertError(rest, "POST", "/wide/_search", rescore.formatted(10, docs), 429, "recommender rescore window vectors");
            assertEquals(10, send(rest, "POST", "/wide/_search", rescore.formatted(10, 100), 200).path("hits").path("hits").size());
        } finally {
            send(rest, "PUT", "/_cluster/settings", "{\"transient\":{\"indices.breaker.request.limit\":null}}", 200);
        }
        JsonNode hits = send(rest, "POST", "/wide/_search", rescore.formatted(docs, docs), 200).path("hits").path("hits");
        assertEquals(docs, hits.size());
        for (JsonNode hit : hits) {
            float[] v = vectors.get(hit.path("_id").asText());
            double dot = 0, magnitude = 0;
            for (int k = 0; k < dims; k++) {
                dot += (double) u[k] * v[k];
                magnitude += Math.abs((double) u[k] * v[k]);
            }
            assertEquals(hit.path("_id").asText(), dot, hit.path("_score").asDouble(), 1e-5 * Math.max(1, magnitude));
        }
        assertRequestBreakerBack(rest, before);
    }

    /** The ND4J threshold this suite's nodes run with: far below the default, so the test proves the setting is read. */
    private static final int ND4J_MIN_BATCH = 100;

    @Override
    protected Settings nodeSettings(int nodeOrdinal) {
        return Settings.builder()
            .put(super.nodeSettings(nodeOrdinal))
            .put(NativeComputeService.ND4J_MIN_BATCH.getKey(), ND4J_MIN_BATCH)
            .build();
    }

    public void testWindowsFromTheNd4jMinBatchAreScoredOnNd4jAndSmallerOnesWithSimd() throws Exception {
        try (RestClient a = clientFor(internalCluster().getNodeNames()[0])) {
            send(a, "PUT", "/wide", "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}}", 200);
            Map<String, float[]> wide = new HashMap<>();
            StringBuilder docs = new StringBuilder();
            for (int i = 0; i < 150; i++) {
                float[] v = randomVector();
                wide.put("w" + i, v);
                docs.append("{\"index\":{\"_index\":\"wide\",\"_id\":\"w").append(i).append("\"}}\n")
                    .append(JSON.writeValueAsString(Map.of("emb", v))).append('\n');
            }
            bulk(a, docs.toString());
            ModelBundle bundle = RandomModels.neumf(DIMS, new int[] { 8, 4 }, 5);
            putModel(a, "neumf", bundle);
            ScoringModel model = bundle.compile();
            float[] u = randomVector();
            for (int window : new int[] { 150, 60 }) {
                String counter = window >= ND4J_MIN_BATCH ? "rescore_batches_nd4j" : "rescore_batches_simd";
                long before = batches(a, counter);
                JsonNode hits = send(a, "POST", "/wide/_search", "{\"size\":" + window + ",\"query\":{\"match_all\":{}},"
                    + "\"rescore\":{\"window_size\":" + window + ",\"recommender\":{\"user\":{\"vector\":" + JSON.writeValueAsString(u)
                    + "},\"field\":\"emb\",\"model\":\"neumf\",\"score_mode\":\"replace\"}}}", 200).path("hits").path("hits");
                assertThat(hits.size(), equalTo(window));
                for (JsonNode hit : hits) {
                    double expected = model.score(u, wide.get(hit.path("_id").asText())); // single-item Java path
                    assertEquals(hit.path("_id").asText(), expected, hit.path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(expected)));
                }
                assertThat("the " + window + "-item window is counted in " + counter, batches(a, counter), equalTo(before + 1));
            }
            // the native call's workspace was reserved in the node's breaker on the way (ND4J ran: it is counted above)
            assertThat(batches(a, "nd4j_workspace_bytes"), greaterThan(0L));
            assertThat(batches(a, "nd4j_calls_refused_for_memory"), equalTo(0L));
        }
    }

    private static long batches(RestClient client, String counter) throws IOException {
        long total = 0;
        for (JsonNode node : send(client, "GET", "/_plugins/_recommender/stats", null, 200).path("nodes")) {
            assertEquals("the test JVM has the Vector API", "java-simd", node.path("compute").path("jvm_batch_kernel").asText());
            total += node.path("counters").path(counter).asLong();
        }
        return total;
    }

    public void testBadRescoreRequestsNameTheProblem() throws Exception {
        try (RestClient a = clientFor(internalCluster().getNodeNames()[0])) {
            if (items.isEmpty()) {
                setUpData(a);
            }
            putModel(a, "wide", RandomModels.mlp(16, new int[] { 8 }, 3));
            String base = "{\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":10,\"recommender\":%s}}";
            assertSearchError(a, String.format(java.util.Locale.ROOT, base, "{\"user\":{\"id\":\"ghost\",\"index\":\"users\",\"field\":\"emb\"},\"field\":\"emb\"}"),
                404, "user [ghost] not found in index [users]");
            assertSearchError(a, String.format(java.util.Locale.ROOT, base, "{\"user\":{\"id\":\"novec\",\"index\":\"users\",\"field\":\"emb\"},\"field\":\"emb\"}"),
                404, "user [novec] in index [users] has no vector in field [emb]");
            assertSearchError(a, String.format(java.util.Locale.ROOT, base, "{\"user\":{\"vector\":[1,2,3,4,5,6,7,8]},\"field\":\"emb\",\"model\":\"missing\"}"),
                404, "model [missing] not found");
            assertSearchError(a, String.format(java.util.Locale.ROOT, base, "{\"user\":{\"vector\":[1,2,3,4,5,6,7,8]},\"field\":\"emb\",\"model\":\"wide\"}"),
                400, "[user] vector has 8 dimensions but model [wide] expects 16");
            assertSearchError(a, String.format(java.util.Locale.ROOT, base, "{\"user\":{\"vector\":[1,2,3]},\"field\":\"emb\"}"),
                400, "[user] vector has 3 dimensions but field [emb] has 8");
            assertSearchError(a, String.format(java.util.Locale.ROOT, base, "{\"user\":{\"vector\":[1,2,3,4,5,6,7,8]},\"field\":\"title\"}"),
                400, "[field] field [title] is of type [text] but must be of type [embedding]");
            assertSearchError(a, String.format(java.util.Locale.ROOT, base, "{\"user\":{\"vector\":[1,2,3,4,5,6,7,8]},\"field\":\"emb\",\"score_mode\":\"sum\"}"),
                400, "[score_mode] must be one of [total, multiply, avg, max, min, replace] but was [sum]");
            assertSearchError(a, String.format(java.util.Locale.ROOT, base, "{\"field\":\"emb\"}"), 400, "[recommender] rescorer needs [user]");
            assertSearchError(a, String.format(java.util.Locale.ROOT, base, "{\"user\":{\"vector\":[1]},\"field\":\"emb\",\"weights\":1}"),
                400, "[recommender] unknown field [weights]");
        }
    }

    /**
     * A rescore window whose model arithmetic is over {@code recommender.scoring.max_work} is a 400 naming the window,
     * before any shard scores; one document fewer is served. mlp(8, {16, 8}) costs 16·8 + 16·8 + 8 = 264
     * multiply-adds an item (worked out by hand); a budget of 2^20 = 1,048,576 admits a window of
     * 3,971 (1,048,344) and not one of 3,972 (1,048,608) — nor two windows of 2,000 and 1,972 that one search thread
     * scores in turn, nor the explanation of a hit after a window of 3,971, nor a second top_hits bucket's window.
     */
    public void testAWindowOverTheScoringBudgetIsRefusedBeforeAnyShardScores() throws Exception {
        try (RestClient a = clientFor(internalCluster().getNodeNames()[0])) {
            if (items.isEmpty()) {
                setUpData(a);
            }
            putModel(a, "budgeted", RandomModels.mlp(DIMS, new int[] { 16, 8 }, 11));
            send(a, "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":1048576}}", 200);
            try {
                String body = "{\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":%d,\"recommender\":"
                    + "{\"user\":{\"vector\":[1,2,3,4,5,6,7,8]},\"field\":\"emb\",\"model\":\"budgeted\"}}}";
                JsonNode served = send(a, "POST", "/items/_search", String.format(java.util.Locale.ROOT, body, 3_971), 200);
                assertThat(served.path("hits").path("hits").size(), greaterThan(0));
                assertSearchError(
                    a,
                    String.format(java.util.Locale.ROOT, body, 3_972),
                    400,
                    "[rescore.window_size]: scoring a window of 3,972 documents with model [budgeted] (264 multiply-adds an item) takes 1,048,608"
                        + " multiply-adds, more than the 1,048,576 that [recommender.scoring.max_work] allows"
                );
                // two windows, each within the budget, that one search thread scores in turn: their sum is what must fit
                String one = "{\"window_size\":%d,\"recommender\":{\"user\":{\"vector\":[1,2,3,4,5,6,7,8]},\"field\":\"emb\",\"model\":\"budgeted\"}}";
                String two = "{\"query\":{\"match_all\":{}},\"rescore\":[" + one + "," + one + "]}";
                send(a, "POST", "/items/_search", String.format(java.util.Locale.ROOT, two, 2_000, 1_971), 200); // 3,971 in all
                assertSearchError(
                    a,
                    String.format(java.util.Locale.ROOT, two, 2_000, 1_972),
                    400,
                    "[rescore.window_size]: scoring a window of 1,972 documents with model [budgeted] (264 multiply-adds an item) after the search's earlier"
                        + " work (528,000 multiply-adds) takes 1,048,608 multiply-adds"
                );
                // OpenSearch explains every fetched hit through the rescorer, one at a time: charged with the windows
                String explained = "{\"explain\":true,\"size\":100,\"query\":{\"match_all\":{}},\"rescore\":" + one + "}";
                send(a, "POST", "/items/_search", String.format(java.util.Locale.ROOT, explained, 3_000), 200);
                assertSearchError(
                    a,
                    String.format(java.util.Locale.ROOT, explained, 3_971),
                    400,
                    "[explain]: explaining one more hit's rescore with model [budgeted] (264 multiply-adds an item) after the search's earlier"
                        + " work (1,048,344 multiply-adds) takes 1,048,608 multiply-adds"
                );
                // a top_hits aggregation rescores every bucket's hits with the search's rescorer: each window after the
                // first is charged too (size 0: the hits' own rescore has nothing to score); two buckets of 1,985 fit
                String buckets = "{\"size\":0,\"query\":{\"match_all\":{}},\"rescore\":" + one + ",\"aggs\":{\"b\":{\"filters\":{\"filters\":{"
                    + "\"red\":{\"match\":{\"title\":\"red\"}},\"blue\":{\"match\":{\"title\":\"blue\"}}}},\"aggs\":{\"top\":{\"top_hits\":{\"size\":1}}}}}}";
                send(a, "POST", "/items/_search", String.format(java.util.Locale.ROOT, buckets, 1_985), 200);
                assertSearchError(
                    a,
                    String.format(java.util.Locale.ROOT, buckets, 1_986),
                    400,
                    "[rescore.window_size]: scoring one more window of 1,986 documents (a top_hits bucket's) with model [budgeted] (264 multiply-adds an"
                        + " item) after the search's earlier work (524,304 multiply-adds) takes 1,048,608 multiply-adds"
                );
            } finally {
                send(a, "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":null}}", 200);
            }
        }
    }

    private static void assertSearchError(RestClient client, String body, int status, String message) throws IOException {
        assertError(client, "POST", "/items/_search", body, status, message);
    }

    private void assertRescored(JsonNode response, Map<String, Double> queryScores, ScoringModel model, float[] u, float qw, float mw, ScoreMode mode) {
        JsonNode hits = response.path("hits").path("hits");
        assertThat(response.toString(), hits.size(), equalTo(queryScores.size()));
        double previous = Double.MAX_VALUE;
        for (JsonNode hit : hits) {
            String id = hit.path("_id").asText();
            float[] v = items.get(id);
            double q = queryScores.get(id);
            double expected = v == null ? qw * q : mode.combine((float) (qw * q), mw * model.score(u, v));
            assertEquals(id, expected, hit.path("_score").asDouble(), 1e-4 * Math.max(1, Math.abs(expected)));
            assertTrue("sorted by the new score", hit.path("_score").asDouble() <= previous + 1e-6);
            previous = hit.path("_score").asDouble();
        }
    }

    private Map<String, Double> queryScores(RestClient rest) throws IOException {
        JsonNode hits = send(rest, "POST", "/items/_search", "{\"size\":100,\"query\":{\"match\":{\"title\":\"red\"}}}", 200).path("hits").path("hits");
        Map<String, Double> scores = new HashMap<>();
        for (JsonNode hit : hits) {
            scores.put(hit.path("_id").asText(), hit.path("_score").asDouble());
        }
        assertTrue(scores.size() > 40);
        return scores;
    }


    private float[] randomVector() {
        float[] v = new float[DIMS];
        for (int k = 0; k < DIMS; k++) {
            v[k] = (float) randomDoubleBetween(-1, 1, true);
        }
        return v;
    }

    private static void putModel(RestClient rest, String id, ModelBundle bundle) throws IOException {
        Request request = new Request("PUT", "/_plugins/_recommender/models/" + id);
        request.setJsonEntity("{\"bundle\":\"" + Base64.getEncoder().encodeToString(bundle.toBytes()) + "\"}");
        rest.performRequest(request);
    }



}
