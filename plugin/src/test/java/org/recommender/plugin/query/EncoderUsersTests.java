package org.recommender.plugin.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.plugin.EncoderReference;
import org.recommender.plugin.RecommenderHttpIntegTestCase;
import org.recommender.plugin.ExpectedRankings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.recommender.plugin.ExpectedRankings.COSINE_SCORE;
import static org.recommender.plugin.ExpectedRankings.DOT_SCORE;
import static org.recommender.plugin.ExpectedRankings.RAW_DOT;
import static org.recommender.plugin.ExpectedRankings.assertRanking;
import static org.recommender.plugin.ExpectedRankings.dot;
import static org.recommender.plugin.ExpectedRankings.ids;

/**
 * Users encoded from their history by a stored user encoder ({@code {"history": [...], "index", "field",
 * "encoder": "<model id>"}}), on two nodes and three shards, on every surface that takes a user:
 * {@code embedding_knn} (dot and cosine fields), the {@code recommender} rescorer (plain dot and a stored model) and
 * {@code _recommend} (one user scored on the shards, a batch scored on the coordinating node, a stored user's
 * cold-start history with {@code cold_start.encoder}). Every score equals a reference computed here in double
 * precision from the formulas of {@code docs/model-format.md} — GRU4Rec's recurrence and Mult-DAE's
 * {@code tanh(Σ e / sqrt(n) + b)} — dotted with the indexed item vectors. The order of a history matters to
 * {@code gru4rec} and not to {@code multdae}; {@code sasrec} serves the vector core's encoder makes; a replaced encoder
 * takes effect on the next request; the encoding's memory is reserved in the {@code recommender} breaker (429 when it
 * does not fit) and released; every bad encoder input gets its status and words on every surface;
 * {@code script_score} refuses an encoder as its model.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class EncoderUsersTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 8;
    private static final int HIDDEN = 6;
    private static final int ITEMS = 200;
    private static final int GRU_MAX_LENGTH = 10;
    private static final long GRU_SEED = 11;
    private static final long DAE_SEED = 12;
    /** Oldest first; i8 twice: the GRU reads it twice, Mult-DAE once. */
    private static final List<String> HISTORY = List.of("i3", "i8", "i21", "i8", "i40");
    private static final List<String> DRIFTED = List.of("i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "gone", "novec", "i3", "i8", "i21", "i8", "i40");


    private final Map<String, float[]> items = new LinkedHashMap<>();
    private RestClient[] clients;

    private void setupData() throws IOException {
        clients = clientPerNode();
        send(clients[0], "PUT", "/items", "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1},\"mappings\":{\"properties\":{"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},\"cos\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"similarity\":\"cosine\"},"
            + "\"title\":{\"type\":\"text\"}}}}", 200);
        send(clients[0], "PUT", "/narrow", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":3}}}}", 200);
        send(clients[0], "PUT", "/users", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},"
            + "\"history\":{\"type\":\"keyword\"}}}}", 200);
        Random random = new Random(17);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = Math.round((random.nextFloat() * 2 - 1) * 1000) / 1000f;
            }
            items.put("i" + i, v);
            bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"i").append(i).append("\"}}\n")
                .append(JSON.writeValueAsString(Map.of("emb", v, "cos", v, "title", "item " + i))).append('\n');
        }
        bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"novec\"}}\n{\"title\":\"no vector\"}\n");
        bulk.append("{\"index\":{\"_index\":\"narrow\",\"_id\":\"n1\"}}\n{\"emb\":[1,2,3]}\n");
        // a stored user without a vector whose history the cold-start chain encodes
        bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"cold\"}}\n")
            .append(JSON.writeValueAsString(Map.of("history", HISTORY))).append('\n');
        // a stored history longer than the gru's max_length (10), naming an item deleted since and one without a vector
        bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"drifted\"}}\n")
            .append(JSON.writeValueAsString(Map.of("history", DRIFTED))).append('\n');
        // a stored history within max_length that names an item deleted since
        bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"gap\"}}\n")
            .append(JSON.writeValueAsString(Map.of("history", List.of("i3", "gone", "i8")))).append('\n');
        bulk(clients[0], bulk.toString());
        upload("gru", RandomModels.gru4rec(DIMS, HIDDEN, DIMS, GRU_MAX_LENGTH, GRU_SEED));
        upload("dae", RandomModels.multdae(DIMS, 50, DAE_SEED));
        upload("gru5", RandomModels.gru4rec(DIMS, HIDDEN, 5, GRU_MAX_LENGTH, 3)); // user vectors of 5 dimensions
        upload("dot8", ModelBundle.dot(DIMS));
    }

    private void upload(String id, ModelBundle bundle) throws IOException {
        org.opensearch.client.Request put = new org.opensearch.client.Request("PUT", "/_plugins/_recommender/models/" + id);
        put.setJsonEntity("{\"bundle\":\"" + Base64.getEncoder().encodeToString(bundle.toBytes()) + "\"}");
        int status = clients[0].performRequest(put).getStatusLine().getStatusCode();
        assertTrue("upload of [" + id + "]: " + status, status == 200 || status == 201);
    }

    private static String spec(String encoder, List<String> history) throws IOException {
        return "{\"history\": " + JSON.writeValueAsString(history) + ", \"index\": \"items\", \"field\": \"emb\", \"encoder\": \"" + encoder + "\"}";
    }

    public void testAnEncodedHistoryRanksAsItsFormulaOnEverySurface() throws Exception {
        setupData();
        double[] gru = gru4rec(HISTORY, GRU_SEED);
        double[] dae = multdae(HISTORY, DAE_SEED);
        String gruSpec = spec("gru", HISTORY);
        long encodesBefore = counter("user_encodes");

        // embedding_knn, exact, on a dot_product and a cosine field, through each node
        for (String field : List.of("emb", "cos")) {
            JsonNode hits = send(clients[field.equals("emb") ? 0 : 1], "POST", "/items/_search", """
                {"size": 10, "query": {"embedding_knn": {"field": "%s", "user": %s, "k": 10, "exact": true}}}""".formatted(field, gruSpec), 200)
                .path("hits").path("hits");
            assertRanking("embedding_knn " + field, hits, ranking(gru, Set.of(), field.equals("emb") ? DOT_SCORE : COSINE_SCORE), 10);
        }

        // the rescorer: raw dot products of every item in the window, plain and through a stored dot model
        for (String scorer : List.of("\"source\": \"dot\"", "\"model\": \"dot8\"")) {
            JsonNode rescored = send(clients[1], "POST", "/items/_search", """
                {"size": 300, "query": {"match_all": {}}, "rescore": {"window_size": 300,
                 "recommender": {"user": %s, "field": "emb", %s, "score_mode": "replace"}}}""".formatted(gruSpec, scorer), 200)
                .path("hits").path("hits");
            assertThat(rescored.size(), equalTo(ITEMS + 1));
            for (JsonNode hit : rescored) {
                float[] v = items.get(hit.path("_id").asText());
                double expected = v == null ? 1.0 : dot(gru, v); // a document without a vector keeps its query score
                assertEquals(scorer + " " + hit.path("_id").asText(), expected, hit.path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(expected)));
            }
        }

        // script_score takes the user spec as params.user, resolved once on the coordinating node: inside a bool, and
        // in each search of an _msearch (a GRU user and a Mult-DAE user)
        String script = """
            {"script_score": {"query": {"match_all": {}}, "script": {"lang": "recommender", "source": "dot",
             "params": {"field": "emb", "user": %s}}}}""";
        JsonNode scripted = send(clients[1], "POST", "/items/_search", """
            {"size": 10, "query": {"bool": {"must": [%s], "filter": [{"exists": {"field": "emb"}}]}}}""".formatted(script.formatted(gruSpec)), 200)
            .path("hits").path("hits");
        assertRanking("script_score in bool", scripted, ranking(gru, Set.of(), DOT_SCORE), 10);
        String msearch = "{\"index\": \"items\"}\n" + JSON.readTree("{\"size\": 10, \"query\": " + script.formatted(gruSpec) + "}") + "\n"
            + "{\"index\": \"items\"}\n" + JSON.readTree("{\"size\": 10, \"query\": " + script.formatted(spec("dae", HISTORY)) + "}") + "\n";
        JsonNode both = send(clients[0], "POST", "/_msearch", msearch, 200).path("responses");
        assertRanking("script_score in _msearch, gru4rec", both.get(0).path("hits").path("hits"), ranking(gru, Set.of(), DOT_SCORE), 10);
        assertRanking("script_score in _msearch, multdae", both.get(1).path("hits").path("hits"), ranking(dae, Set.of(), DOT_SCORE), 10);

        // _recommend, one user (scored on the shards), explained: the encoder and its version are named
        JsonNode one = send(clients[0], "POST", "/items/_recommend", """
            {"field": "emb", "user": %s, "k": 15, "candidates": {"knn": {"num_candidates": 1000, "exact": true}}, "_source": false,
             "explain": true}""".formatted(gruSpec), 200);
        assertThat(one.path("strategy").asText(), equalTo("history"));
        assertRanking("_recommend", one.path("items"), ranking(gru, Set.of(), DOT_SCORE), 15);
        long gruVersion = send(clients[0], "GET", "/_plugins/_recommender/models/gru", null, 200).path("_version").asLong();
        for (JsonNode item : one.path("items")) {
            assertThat(item.toString(), item.path("_explanation").path("user_encoded_by").asText(),
                equalTo("encoder [gru] version [" + gruVersion + "] (gru4rec)"));
        }

        // a batch with a model (scored on the coordinating node): a GRU user, a Mult-DAE user and a mean user side by side
        String mean = "{\"history\": " + JSON.writeValueAsString(HISTORY) + ", \"index\": \"items\", \"field\": \"emb\"}";
        JsonNode batch = send(clients[1], "POST", "/items/_recommend", """
            {"field": "emb", "users": [%s, %s, %s], "k": 15, "model": "dot8", "candidates": {"knn": {"num_candidates": 200, "exact": true}},
             "exclude": {"ids": ["i0"]}, "_source": false, "explain": true}""".formatted(gruSpec, spec("dae", HISTORY), mean), 200);
        assertRanking("batch gru4rec user", batch.path("users").get(0).path("items"), ranking(gru, Set.of("i0"), RAW_DOT), 15);
        assertRanking("batch multdae user", batch.path("users").get(1).path("items"), ranking(dae, Set.of("i0"), RAW_DOT), 15);
        assertRanking("batch mean user", batch.path("users").get(2).path("items"), ranking(mean(HISTORY), Set.of("i0"), RAW_DOT), 15);
        assertThat(batch.path("users").get(1).path("items").get(0).path("_explanation").path("user_encoded_by").asText(), not(equalTo("")));
        assertTrue("a mean user names no encoder", batch.path("users").get(2).path("items").get(0).path("_explanation").path("user_encoded_by").isMissingNode());

        // 2 knn + 2 rescorer + 3 script_score + 1 recommend + 2 in the batch, each encoded once on its coordinating node
        assertThat(counter("user_encodes") - encodesBefore, equalTo(10L));
    }

    /**
     * Every surface that takes a user spec explains which encoder, at which version, made the user vector: the
     * version the request pinned on the coordinating node, so the shards' explanations name it too (they see only
     * the vector). A mean user names none.
     */
    public void testExplanationsNameTheEncoderAndItsVersionOnEverySurface() throws Exception {
        setupData();
        upload("gru", RandomModels.gru4rec(DIMS, HIDDEN, DIMS, GRU_MAX_LENGTH, GRU_SEED)); // version 2: not the first
        long version = send(clients[0], "GET", "/_plugins/_recommender/models/gru", null, 200).path("_version").asLong();
        assertThat(version, greaterThanOrEqualTo(2L));
        String named = "encoder [gru] version [" + version + "] (gru4rec)";
        String gruSpec = spec("gru", HISTORY);
        String meanSpec = "{\"history\": " + JSON.writeValueAsString(HISTORY) + ", \"index\": \"items\", \"field\": \"emb\"}";
        for (String user : List.of(gruSpec, meanSpec)) {
            String expected = user == gruSpec ? named : null;
            for (String scorer : List.of("\"source\": \"dot\"", "\"model\": \"dot8\"")) {
                JsonNode rescored = send(clients[1], "POST", "/items/_search", """
                    {"size": 3, "explain": true, "query": {"match_all": {}}, "rescore": {"window_size": 50,
                     "recommender": {"user": %s, "field": "emb", %s}}}""".formatted(user, scorer), 200).path("hits").path("hits");
                assertExplainedBy("rescorer " + scorer, rescored, expected);
            }
            for (String exact : List.of("true", "false")) {
                JsonNode knn = send(clients[0], "POST", "/items/_search", """
                    {"size": 3, "explain": true, "query": {"embedding_knn": {"field": "emb", "user": %s, "k": 3, "exact": %s}}}"""
                    .formatted(user, exact), 200).path("hits").path("hits");
                assertExplainedBy("embedding_knn exact " + exact, knn, expected);
            }
            // _recommend named the encoder before the other surfaces did (user_encoded_by): a regression check that all
            // surfaces now use the same label; the rescorer and embedding_knn legs above are what fail without the feature
            JsonNode recommended = send(clients[1], "POST", "/items/_recommend", """
                {"field": "emb", "user": %s, "k": 3, "_source": false, "explain": true}""".formatted(user), 200).path("items");
            assertExplainedBy("_recommend", recommended, expected);
        }
    }

    /** Each hit's {@code _explanation} names {@code encoder} ({@code null}: names no encoder at all). */
    private static void assertExplainedBy(String surface, JsonNode hits, String encoder) {
        assertThat(surface, hits.size(), equalTo(3));
        for (JsonNode hit : hits) {
            String explanation = hit.path("_explanation").toString();
            assertFalse(surface + ": " + hit, hit.path("_explanation").isMissingNode());
            if (encoder == null) {
                assertFalse(surface + " names no encoder for a mean user: " + explanation, explanation.contains("encoder ["));
            } else {
                assertTrue(surface + " names [" + encoder + "]: " + explanation, explanation.contains(encoder));
            }
        }
    }

    public void testOrderMattersToAnOrderedEncoderAndNotToASetEncoder() throws Exception {
        setupData();
        List<String> reversed = new ArrayList<>(HISTORY);
        Collections.reverse(reversed);
        String knn = "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": %s, \"k\": 10, \"exact\": true}}}";

        JsonNode forward = send(clients[0], "POST", "/items/_search", knn.formatted(spec("gru", HISTORY)), 200).path("hits").path("hits");
        JsonNode backward = send(clients[1], "POST", "/items/_search", knn.formatted(spec("gru", reversed)), 200).path("hits").path("hits");
        assertThat("reversing the history moves a gru4rec user", ids(backward), not(equalTo(ids(forward))));
        assertRanking("gru4rec reversed", backward, ranking(gru4rec(reversed, GRU_SEED), Set.of(), DOT_SCORE), 10);

        // Mult-DAE reads a set: reversed, and with the repeat dropped, the very same scores
        JsonNode set = send(clients[0], "POST", "/items/_search", knn.formatted(spec("dae", HISTORY)), 200).path("hits").path("hits");
        assertRanking("multdae", set, ranking(multdae(HISTORY, DAE_SEED), Set.of(), DOT_SCORE), 10);
        for (List<String> same : List.of(reversed, new ArrayList<>(new LinkedHashSet<>(HISTORY)))) {
            JsonNode other = send(clients[1], "POST", "/items/_search", knn.formatted(spec("dae", same)), 200).path("hits").path("hits");
            assertThat(ids(other), equalTo(ids(set)));
            for (int r = 0; r < 10; r++) {
                assertThat(other.get(r).path("_score").asDouble(), equalTo(set.get(r).path("_score").asDouble()));
            }
        }
        // and an encoder is not the mean
        JsonNode meanHits = send(clients[0], "POST", "/items/_search",
            knn.formatted("{\"history\": " + JSON.writeValueAsString(HISTORY) + ", \"index\": \"items\", \"field\": \"emb\"}"), 200).path("hits").path("hits");
        assertThat(ids(meanHits), not(equalTo(ids(forward))));
    }

    /**
     * SASRec through the cluster equals core's own encoder run here on the indexed vectors (core's
     * {@code EncoderAgreementTest} holds that encoder to the double-precision formula), on two surfaces, and the
     * order matters to it.
     */
    public void testSasrecServesTheVectorCoreEncodes() throws Exception {
        setupData();
        ModelBundle sasrec = RandomModels.sasrec(DIMS, 12, 2, 2, 16, 21);
        upload("sas", sasrec);
        org.recommender.core.encoder.UserEncoder local = sasrec.compileEncoder();
        List<String> reversed = new ArrayList<>(HISTORY);
        Collections.reverse(reversed);
        String knn = "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": %s, \"k\": 10, \"exact\": true}}}";
        List<List<String>> seen = new ArrayList<>();
        for (List<String> history : List.of(HISTORY, reversed)) {
            float[][] vectors = history.stream().map(items::get).toArray(float[][]::new);
            float[] encoded = local.encode(vectors, vectors.length);
            double[] u = new double[DIMS];
            for (int d = 0; d < DIMS; d++) {
                u[d] = encoded[d];
            }
            JsonNode hits = send(clients[1], "POST", "/items/_search", knn.formatted(spec("sas", history)), 200).path("hits").path("hits");
            assertRanking("sasrec " + history, hits, ranking(u, Set.of(), DOT_SCORE), 10);
            JsonNode recommended = send(clients[0], "POST", "/items/_recommend", """
                {"field": "emb", "user": %s, "k": 10, "model": "dot8", "candidates": {"knn": {"num_candidates": 1000, "exact": true}}, "_source": false}"""
                .formatted(spec("sas", history)), 200).path("items");
            assertRanking("sasrec _recommend " + history, recommended, ranking(u, Set.of(), RAW_DOT), 10);
            seen.add(ids(hits));
        }
        assertThat("reversed, a sasrec user moves", seen.get(1), not(equalTo(seen.get(0))));
    }

    public void testAStoredUsersHistoryIsEncodedWithColdStartEncoder() throws Exception {
        setupData();
        String body = """
            {"field": "emb", "user": {"id": "cold", "index": "users", "field": "emb"}, "k": 12, "_source": false, "explain": true,
             "candidates": {"knn": {"num_candidates": 1000, "exact": true}}, "cold_start": {"history_field": "history"%s}}""";
        JsonNode encoded = send(clients[1], "POST", "/items/_recommend", body.formatted(", \"encoder\": \"gru\""), 200);
        assertThat(encoded.path("strategy").asText(), equalTo("history"));
        assertRanking("cold start, gru4rec", encoded.path("items"), ranking(gru4rec(HISTORY, GRU_SEED), Set.of(), DOT_SCORE), 12);
        assertThat(encoded.path("items").get(0).path("_explanation").path("user_encoded_by").asText().startsWith("encoder [gru] version ["), equalTo(true));
        // without an encoder, the stored history stays the mean of its distinct items
        JsonNode averaged = send(clients[0], "POST", "/items/_recommend", body.formatted(""), 200);
        assertRanking("cold start, mean", averaged.path("items"), ranking(mean(HISTORY), Set.of(), DOT_SCORE), 12);
        assertError(clients[0], "POST", "/items/_recommend", """
            {"field": "emb", "user": {"id": "cold", "index": "users", "field": "emb"}, "cold_start": {"encoder": "gru"}}""", 400,
            "[cold_start.encoder] needs [cold_start.history_field]");
        assertError(clients[0], "POST", "/items/_recommend", body.formatted(", \"encoder\": \"nope\""), 404, "[cold_start.encoder] model [nope] not found");
        assertError(clients[0], "POST", "/items/_recommend", body.formatted(", \"encoder\": \"dot8\""), 400,
            "[cold_start.encoder] model [dot8] is a [dot] model, which scores items");
    }

    /**
     * A stored history outlives catalogue changes and grows with the user: its latest max_length items are encoded and
     * those without a vector skipped — where an inline history with the same items is refused.
     */
    public void testAStoredHistoryKeepsItsLatestItemsAndSkipsMissingOnes() throws Exception {
        setupData();
        String body = """
            {"field": "emb", "user": {"id": "drifted", "index": "users", "field": "emb"}, "k": 12, "_source": false,
             "candidates": {"knn": {"num_candidates": 1000, "exact": true}}, "cold_start": {"history_field": "history", "encoder": "gru"}}""";
        JsonNode encoded = send(clients[0], "POST", "/items/_recommend", body, 200);
        assertThat(encoded.path("strategy").asText(), equalTo("history"));
        List<String> window = DRIFTED.subList(DRIFTED.size() - GRU_MAX_LENGTH, DRIFTED.size()).stream()
            .filter(items::containsKey).toList(); // i6, i7, i8, i3, i8, i21, i8, i40
        assertThat(window.size(), equalTo(8));
        assertRanking("drifted, gru4rec", encoded.path("items"), ranking(gru4rec(window, GRU_SEED), Set.of(), DOT_SCORE), 12);
        JsonNode gap = send(clients[1], "POST", "/items/_recommend", body.replace("\"drifted\"", "\"gap\""), 200);
        assertRanking("gap, gru4rec", gap.path("items"), ranking(gru4rec(List.of("i3", "i8"), GRU_SEED), Set.of(), DOT_SCORE), 12);
        List<String> inline = new ArrayList<>(window.subList(0, 3));
        inline.add("gone");
        assertError(clients[1], "POST", "/items/_recommend", """
            {"field": "emb", "user": %s, "candidates": {"knn": {"num_candidates": 1000, "exact": true}}}""".formatted(spec("gru", inline)),
            400, "[user.history] items [gone] are missing or have no vector");
    }

    public void testAReplacedEncoderTakesEffectOnTheNextRequest() throws Exception {
        setupData();
        String request = """
            {"field": "emb", "user": %s, "k": 10, "candidates": {"knn": {"num_candidates": 1000, "exact": true}}, "_source": false,
             "explain": true}""".formatted(spec("gru", HISTORY));
        JsonNode before = send(clients[0], "POST", "/items/_recommend", request, 200);
        assertRanking("version 1", before.path("items"), ranking(gru4rec(HISTORY, GRU_SEED), Set.of(), DOT_SCORE), 10);
        upload("gru", RandomModels.gru4rec(DIMS, HIDDEN, DIMS, GRU_MAX_LENGTH, 99));
        long version = send(clients[0], "GET", "/_plugins/_recommender/models/gru", null, 200).path("_version").asLong();
        for (RestClient client : clients) { // each node, whatever it had compiled, encodes with the new version
            JsonNode after = send(client, "POST", "/items/_recommend", request, 200);
            assertRanking("replaced", after.path("items"), ranking(gru4rec(HISTORY, 99), Set.of(), DOT_SCORE), 10);
            assertThat(after.path("items").get(0).path("_explanation").path("user_encoded_by").asText(),
                equalTo("encoder [gru] version [" + version + "] (gru4rec)"));
        }
        assertThat(ids(before.path("items")), not(equalTo(ids(send(clients[1], "POST", "/items/_recommend", request, 200).path("items")))));
    }

    public void testEncodingReservesItsMemoryInTheBreakerAndReleasesIt() throws Exception {
        setupData();
        String knn = "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": %s, \"k\": 10, \"exact\": true}}}";
        String recommend = "{\"field\": \"emb\", \"user\": %s, \"k\": 5, \"_source\": false}";
        for (RestClient client : clients) { // every node has the encoder compiled: what follows reserves nothing but the encoding
            send(client, "POST", "/items/_search", knn.formatted(spec("gru", HISTORY)), 200);
        }
        long held = breakerUsed();
        // the limit raised step by step from 1 byte: the history's item reads (4 distinct items, 96 bytes each as
        // UserLookup counts them) are refused first, and where they fit, the GRU's encoding after them (256 + 4 × (8 ×
        // 6 + 8) bytes) still does not, on each coordinating node and surface; the mean needs nothing beyond its reads
        String encoding = "[recommender] Data too large, data for [encode a history with model [gru]]";
        String mean = knn.formatted("{\"history\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\"}");
        for (RestClient client : clients) {
            for (String[] request : List.of(new String[] { "/items/_search", knn.formatted(spec("gru", HISTORY)) },
                new String[] { "/items/_recommend", recommend.formatted(spec("gru", HISTORY)) })) {
                boolean refusedTheEncoding = false;
                try {
                    for (long limit = 1; refusedTheEncoding == false; limit += 128) {
                        assertThat("the encoding fit before it was refused", limit < 64 * 1024, equalTo(true));
                        send(clients[0], "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":\"" + limit + "b\"}}", 200);
                        ResponseException e = expectThrows(ResponseException.class, () -> send(client, "POST", request[0], request[1], 200));
                        String text = new String(e.getResponse().getEntity().getContent().readAllBytes(), StandardCharsets.UTF_8);
                        assertThat(text, e.getResponse().getStatusLine().getStatusCode(), equalTo(429));
                        refusedTheEncoding = text.contains(encoding);
                        assertThat(text, refusedTheEncoding || text.contains(UserLookup.HELD), equalTo(true));
                        if (refusedTheEncoding) {
                            send(client, "POST", "/items/_search", mean, 200);
                        }
                    }
                } finally {
                    send(clients[0], "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":null}}", 200);
                }
            }
        }
        send(clients[1], "POST", "/items/_recommend", recommend.formatted(spec("gru", HISTORY)), 200);
        assertBusy(() -> assertThat("every reservation was released", breakerUsed(), equalTo(held)));
    }

    /**
     * A lookup's encodings are bounded together by {@code recommender.scoring.max_work} before any runs. The GRU here
     * (8-dim items and users, 6 hidden units) costs, for L items, L·3·6·(8 + 6) + 8·6 multiply-adds (docs/model-format.md's
     * count, worked out by hand): 1,308 for the 5-item history, 2,616 for two such users of one search (one lookup).
     * At those budgets the requests are served; one below, refused with a 400 naming the encoder's field, on
     * {@code embedding_knn} and {@code _recommend}. (No model of its own: a compiled model stays in the nodes' {@code recommender} breaker, which
     * the breaker test of this suite measures from.)
     */
    public void testALookupsEncodingsAreBoundedByTheScoringBudget() throws Exception {
        setupData();
        String knn = "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": %s, \"k\": 10, \"exact\": true}}}";
        String clause = "{\"embedding_knn\": {\"field\": \"emb\", \"user\": %s, \"k\": 10, \"exact\": true}}";
        String two = "{\"size\": 10, \"query\": {\"bool\": {\"should\": [" + clause + ", " + clause + "]}}}"; // one lookup of both
        String recommend = "{\"field\": \"emb\", \"user\": %s, \"k\": 5, \"_source\": false}";
        String refusal = "[user.encoder]: encoding %s (the first with [user.encoder] [gru], gru4rec) takes %s multiply-adds, more than the %s that"
            + " [recommender.scoring.max_work] allows";
        try {
            setBudget(1_308);
            send(clients[1], "POST", "/items/_search", knn.formatted(spec("gru", HISTORY)), 200);
            send(clients[0], "POST", "/items/_recommend", recommend.formatted(spec("gru", HISTORY)), 200);
            setBudget(1_307);
            assertError(clients[1], "POST", "/items/_search", knn.formatted(spec("gru", HISTORY)), 400, refusal.formatted("1 history", "1,308", "1,307"));
            assertError(clients[0], "POST", "/items/_recommend", recommend.formatted(spec("gru", HISTORY)), 400,
                refusal.formatted("1 history", "1,308", "1,307"));
            setBudget(2_616);
            send(clients[1], "POST", "/items/_search", two.formatted(spec("gru", HISTORY), spec("gru", HISTORY)), 200);
            setBudget(2_615);
            assertError(clients[1], "POST", "/items/_search", two.formatted(spec("gru", HISTORY), spec("gru", HISTORY)), 400,
                refusal.formatted("2 histories", "2,616", "2,615"));
        } finally {
            send(clients[0], "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":null}}", 200);
        }
    }

    private void setBudget(long multiplyAdds) throws IOException {
        send(clients[0], "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":" + multiplyAdds + "}}", 200);
    }

    private long breakerUsed() throws IOException {
        return clusterBreakerBytes(clients[0], "recommender");
    }

    public void testBadEncoderInputGetsItsStatusOnEverySurface() throws Exception {
        setupData();
        RestClient c = clients[0];
        List<String> surfaces = List.of(
            "/items/_recommend|{\"field\": \"emb\", \"user\": %s}",
            "/items/_search|{\"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": %s}}}",
            "/items/_search|{\"query\": {\"match_all\": {}}, \"rescore\": {\"window_size\": 10, \"recommender\": {\"field\": \"emb\", \"user\": %s}}}",
            "/items/_search|{\"query\": {\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"lang\": \"recommender\", \"source\": \"dot\","
                + " \"params\": {\"field\": \"emb\", \"user\": %s}}}}}"
        );
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i <= GRU_MAX_LENGTH; i++) {
            eleven.add("i" + i);
        }
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put(spec("nope", HISTORY), new Object[] { 404, "[user.encoder] model [nope] not found" });
        cases.put(spec("dot8", HISTORY), new Object[] { 400, "[user.encoder] model [dot8] is a [dot] model, which scores items" });
        cases.put(spec("gru", List.of()), new Object[] { 400, "[user.history] must name at least one item" });
        cases.put(spec("gru", eleven), new Object[] { 400, "[user.history] has 11 items but [user.encoder] [gru] (gru4rec) reads at most 10, its [max_length]" });
        cases.put(spec("gru", List.of("i1", "ghost", "novec", "ghost")),
            new Object[] { 400, "[user.history] items [ghost, novec] are missing or have no vector in field [emb] of index [items]" });
        cases.put("{\"history\": [\"n1\"], \"index\": \"narrow\", \"field\": \"emb\", \"encoder\": \"gru\"}",
            new Object[] { 400, "[user.encoder] [gru] (gru4rec) reads item vectors of 8 dimensions but field [emb] of index [narrow] holds 3" });
        cases.put("{\"id\": \"cold\", \"index\": \"users\", \"field\": \"emb\", \"encoder\": \"gru\"}",
            new Object[] { 400, "[user.encoder] applies only to [user.history]" });
        cases.put("{\"vector\": [1, 2, 3, 4, 5, 6, 7, 8], \"encoder\": \"gru\"}", new Object[] { 400, "[user.encoder] applies only to [user.history]" });
        cases.put("{\"positive\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\", \"encoder\": \"gru\"}",
            new Object[] { 400, "[user.encoder] applies only to [user.history]" });
        cases.put(spec("bad id!", HISTORY), new Object[] { 400, "[user.encoder] must be [mean] or a stored user encoder's model id" });
        cases.put("{\"history\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\", \"encoder\": 7}", new Object[] { 400, "[user.encoder]" });
        cases.put(spec("gru5", HISTORY), new Object[] { 400, "5 dimensions" });
        for (String surface : surfaces) {
            String[] parts = surface.split("\\|", 2);
            for (Map.Entry<String, Object[]> e : cases.entrySet()) {
                assertError(c, "POST", parts[0], parts[1].formatted(e.getKey()), (Integer) e.getValue()[0], (String) e.getValue()[1]);
            }
        }
        // script_score: a user beside a vector, a best-score user (no single vector), and an API that does not resolve it
        String scriptWith = "{\"query\": {\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"lang\": \"recommender\","
            + " \"source\": \"dot\", \"params\": {\"field\": \"emb\", %s}}}}}";
        assertError(c, "POST", "/items/_search", scriptWith.formatted("\"vector\": [1, 2, 3, 4, 5, 6, 7, 8], \"user\": " + spec("gru", HISTORY)), 400,
            "[params.user] cannot be combined with [params.vector]");
        assertError(c, "POST", "/items/_search", scriptWith.formatted(
            "\"user\": {\"positive\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"best_score\"}"), 400,
            "[params.user] is a [best_score] example user, which has no single vector for a script to score with");
        // a body of many short user specs: each would be a lookup and a vector the coordinating node holds
        String oneScript = "{\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"lang\": \"recommender\", \"source\": \"dot\","
            + " \"params\": {\"field\": \"emb\", \"user\": {\"id\": \"u\", \"index\": \"users\", \"field\": \"emb\"}}}}}";
        assertError(c, "POST", "/items/_search", "{\"query\": {\"bool\": {\"should\": [" + String.join(",", Collections.nCopies(1025, oneScript))
            + "]}}}", 400, "[params.user] is given to 1025 recommender scripts of one search but at most 1024 are allowed");
        assertError(c, "POST", "/items/_explain/i1", scriptWith.formatted("\"user\": " + spec("gru", HISTORY)), 400,
            "[params.user] is resolved only in the query and rescore queries of a search (_search, _msearch); here pass [params.vector]");
        // where both are known, the user dimension mismatch names the encoder and the model
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"model\": \"dot8\", \"user\": %s}".formatted(spec("gru5", HISTORY)), 400,
            "encoder [gru5] (gru4rec) makes user vectors of 5 dimensions but the model [dot8] expects 8");
        assertError(c, "POST", "/items/_search", """
            {"query": {"match_all": {}}, "rescore": {"recommender": {"field": "emb", "model": "dot8", "user": %s}}}""".formatted(spec("gru5", HISTORY)),
            400, "[user.encoder] [gru5] makes user vectors of 5 dimensions but model [dot8] expects 8");
        assertError(c, "POST", "/items/_search", """
            {"query": {"embedding_knn": {"field": "emb", "user": %s}}}""".formatted(spec("gru5", HISTORY)),
            400, "[user] vector has 5 dimensions but field [emb] has 8 (the vector [user.encoder] [gru5] made of [user.history])");
        // an encoder named where a scoring model belongs
        String inline = "{\"vector\": [1, 2, 3, 4, 5, 6, 7, 8]}";
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"model\": \"gru\", \"user\": " + inline + "}", 400,
            "[model] model [gru] is a user encoder [gru4rec]");
        assertError(c, "POST", "/items/_search", """
            {"query": {"match_all": {}}, "rescore": {"recommender": {"field": "emb", "model": "gru", "user": %s}}}""".formatted(inline), 400,
            "[model] model [gru] is a user encoder [gru4rec]");
        assertError(c, "POST", "/items/_search", """
            {"query": {"script_score": {"query": {"match_all": {}}, "script": {"lang": "recommender", "source": "model",
             "params": {"field": "emb", "model": "gru", "vector": [1, 2, 3, 4, 5, 6, 7, 8]}}}}}""", 400,
            "[params.model] model [gru] is a user encoder [gru4rec]");
    }

    private double[] gru4rec(List<String> history, long seed) {
        return EncoderReference.gru4rec(items, history, DIMS, HIDDEN, DIMS, seed);
    }

    private double[] multdae(List<String> history, long seed) {
        return EncoderReference.multdae(items, history, DIMS, seed);
    }

    private double[] mean(List<String> history) {
        return EncoderReference.mean(items, history, DIMS);
    }

    private long counter(String name) throws IOException {
        long sum = 0;
        for (JsonNode node : send(clients[0], "GET", "/_plugins/_recommender/stats", null, 200).path("nodes")) {
            sum += node.path("counters").path(name).asLong();
        }
        return sum;
    }

    private List<Map.Entry<String, Double>> ranking(double[] u, Set<String> excluded, ToDoubleBiFunction<double[], float[]> score) {
        return ExpectedRankings.ranking(items, u, excluded, score);
    }
}
