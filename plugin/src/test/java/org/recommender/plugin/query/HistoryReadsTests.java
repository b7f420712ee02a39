package org.recommender.plugin.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.client.RestClient;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.plugin.EncoderReference;
import org.recommender.plugin.ExpectedRankings;
import org.recommender.plugin.RecommenderHttpIntegTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.recommender.plugin.ExpectedRankings.DOT_SCORE;
import static org.recommender.plugin.ExpectedRankings.assertRanking;

/**
 * The item reads of a long history, on two nodes: more distinct items than one read takes
 * ({@link UserLookup#READ_CHUNK}) are read chunk by chunk — from an {@code embedding} field's Lucene values and from
 * plain arrays in {@code _source} alike — and make the same user as the mean computed here in double precision; what
 * the reads hold goes through the plugin's {@code recommender} breaker (429 naming it on every surface that takes a
 * user) and is released once the user is made.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class HistoryReadsTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 4;
    /** Two full reads and part of a third. */
    private static final int HISTORY = 2 * UserLookup.READ_CHUNK + 52;
    private static final int ITEMS = HISTORY + 150;

    private final Map<String, float[]> items = new LinkedHashMap<>();
    private RestClient[] clients;

    private void setupData() throws IOException {
        clients = clientPerNode();
        send(clients[0], "PUT", "/items", "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1},"
            + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}}", 200);
        // the same vectors as plain numbers in _source: no field Lucene holds vectors of
        send(clients[0], "PUT", "/plain", "{\"settings\":{\"number_of_shards\":2},\"mappings\":{\"dynamic\":false,\"properties\":{}}}", 200);
        Random random = new Random(23);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = Math.round((random.nextFloat() * 2 - 1) * 1000) / 1000f;
            }
            v[0] += i < HISTORY ? 0.25f : 0; // a mean well away from zero
            items.put("i" + i, v);
            String doc = JSON.writeValueAsString(Map.of("emb", v));
            bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"i").append(i).append("\"}}\n").append(doc).append('\n');
            bulk.append("{\"index\":{\"_index\":\"plain\",\"_id\":\"i").append(i).append("\"}}\n").append(doc).append('\n');
        }
        bulk(clients[0], bulk.toString());
    }

    private static String history(String index) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < HISTORY; i++) {
            ids.add("i" + i);
        }
        return "{\"history\": " + JSON.writeValueAsString(ids) + ", \"index\": \"" + index + "\", \"field\": \"emb\"}";
    }

    public void testALongHistoryIsReadInChunksAndMakesTheMean() throws Exception {
        setupData();
        List<String> ids = new ArrayList<>(items.keySet()).subList(0, HISTORY);
        double[] mean = EncoderReference.mean(items, ids, DIMS);
        List<Map.Entry<String, Double>> byScore = ExpectedRankings.ranking(items, mean, Set.of(), DOT_SCORE);
        for (String index : List.of("items", "plain")) {
            String user = history(index);
            JsonNode knn = send(clients[0], "POST", "/items/_search",
                "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": " + user + ", \"k\": 10, \"exact\": true}}}", 200);
            assertRanking("embedding_knn, history read from " + index, knn.path("hits").path("hits"), byScore, 10);
            JsonNode script = send(clients[1], "POST", "/items/_search", "{\"size\": 10, \"query\": {\"script_score\": {\"query\": {\"match_all\": {}},"
                + " \"script\": {\"lang\": \"recommender\", \"source\": \"dot\", \"params\": {\"field\": \"emb\", \"user\": " + user + "}}}}}", 200);
            assertRanking("script_score, history read from " + index, script.path("hits").path("hits"), byScore, 10);
            JsonNode recommended = send(clients[1], "POST", "/items/_recommend", "{\"field\": \"emb\", \"user\": " + user + ", \"k\": 10,"
                + " \"_source\": false, \"candidates\": {\"knn\": {\"num_candidates\": " + ITEMS + ", \"exact\": true}}}", 200);
            assertThat(recommended.path("strategy").asText(), equalTo("history"));
            assertRanking("_recommend, history read from " + index, recommended.path("items"), byScore, 10);
        }
    }

    public void testWhatTheReadsHoldGoesThroughTheBreakerAndIsReleased() throws Exception {
        setupData();
        List<String> surfaces = List.of(
            "/items/_search|{\"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": %s, \"exact\": true}}}",
            "/items/_search|{\"query\": {\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"lang\": \"recommender\","
                + " \"source\": \"dot\", \"params\": {\"field\": \"emb\", \"user\": %s}}}}}",
            "/items/_search|{\"query\": {\"match_all\": {}}, \"rescore\": {\"window_size\": 10, \"recommender\": {\"field\": \"emb\", \"user\": %s}}}",
            "/items/_recommend|{\"field\": \"emb\", \"user\": %s}"
        );
        for (String index : List.of("items", "plain")) { // every node answers once, so its breaker is warm
            send(clients[0], "POST", "/items/_search", surfaces.get(0).split("\\|", 2)[1].formatted(history(index)), 200);
        }
        long held = clusterBreakerBytes(clients[0], "recommender");
        send(clients[0], "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":\"1b\"}}", 200);
        try {
            for (String surface : surfaces) {
                String[] parts = surface.split("\\|", 2);
                for (String index : List.of("items", "plain")) {
                    for (RestClient client : clients) {
                        assertError(client, "POST", parts[0], parts[1].formatted(history(index)), 429,
                            "[recommender] Data too large, data for [" + UserLookup.HELD + "]");
                    }
                }
            }
        } finally {
            send(clients[0], "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":null}}", 200);
        }
        for (String surface : surfaces) {
            String[] parts = surface.split("\\|", 2);
            send(clients[1], "POST", parts[0], parts[1].formatted(history("plain")), 200);
        }
        assertBusy(() -> assertThat("every reservation was released", clusterBreakerBytes(clients[0], "recommender"), equalTo(held)));
    }
}
