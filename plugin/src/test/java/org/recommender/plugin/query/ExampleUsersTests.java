package org.recommender.plugin.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.client.RestClient;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.plugin.RecommenderHttpIntegTestCase;
import org.recommender.plugin.ExpectedRankings;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.recommender.plugin.ExpectedRankings.COSINE_SCORE;
import static org.recommender.plugin.ExpectedRankings.DOT_SCORE;
import static org.recommender.plugin.ExpectedRankings.assertRanking;
import static org.recommender.plugin.ExpectedRankings.dot;
import static org.recommender.plugin.ExpectedRankings.ids;

/**
 * Example users ({@code {"positive": [...], "negative": [...], "strategy": "average"}}) on two nodes and three
 * shards, on every surface that takes a user: {@code embedding_knn}, the {@code recommender} rescorer and
 * {@code _recommend} (one user, scored on the shards; a batch, scored on the coordinating node). Rankings and scores
 * equal a reference computed here in double precision from the documented formula
 * u = 2·mean(positive) − mean(negative); the examples are never recommended back; a negative changes the order;
 * missing examples are skipped; bad specs get their status and words.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class ExampleUsersTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 8;
    private static final int ITEMS = 200;
    private static final List<String> POSITIVE = List.of("i3", "i8", "i21");
    private static final List<String> NEGATIVE = List.of("i40", "i55");
    private static final String EXAMPLES = "{\"positive\": [\"i3\", \"i8\", \"i21\"], \"negative\": [\"i40\", \"i55\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"average\"}";
    private static final String POSITIVE_ONLY = "{\"positive\": [\"i3\", \"i8\", \"i21\"], \"index\": \"items\", \"field\": \"emb\"}";


    private final Map<String, float[]> items = new LinkedHashMap<>();
    private RestClient[] clients;

    private void setupData() throws IOException {
        clients = clientPerNode();
        send(clients[0], "PUT", "/items", "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1},\"mappings\":{\"properties\":{"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},\"cos\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"similarity\":\"cosine\"},"
            + "\"title\":{\"type\":\"text\"}}}}", 200);
        send(clients[0], "PUT", "/narrow", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":3}}}}", 200);
        Random random = new Random(7);
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
        bulk(clients[0], bulk.toString());
    }

    public void testAnExampleUserRanksAsItsFormulaOnEverySurface() throws Exception {
        setupData();
        double[] u = reference(POSITIVE, NEGATIVE);

        // embedding_knn, exact, on a dot_product and on a cosine field: nothing excluded, so the examples may rank
        List<Map.Entry<String, Double>> byDot = ranking(u, Set.of(), DOT_SCORE);
        assertTrue("the setup must put an example in the unexcluded top 10, or exclusion proves nothing: " + byDot.subList(0, 10),
            byDot.subList(0, 10).stream().anyMatch(e -> POSITIVE.contains(e.getKey())));
        for (String field : List.of("emb", "cos")) {
            JsonNode hits = send(clients[0], "POST", "/items/_search", """
                {"size": 10, "query": {"embedding_knn": {"field": "%s", "user": %s, "k": 10, "exact": true}}}""".formatted(field, EXAMPLES), 200)
                .path("hits").path("hits");
            assertRanking(field, hits, ranking(u, Set.of(), field.equals("emb") ? DOT_SCORE : COSINE_SCORE), 10);
        }

        // the rescorer: raw dot products of every item in the window, through the other node
        JsonNode rescored = send(clients[1], "POST", "/items/_search", """
            {"size": 300, "query": {"match_all": {}}, "rescore": {"window_size": 300,
             "recommender": {"user": %s, "field": "emb", "source": "dot", "score_mode": "replace"}}}""".formatted(EXAMPLES), 200)
            .path("hits").path("hits");
        assertThat(rescored.size(), equalTo(ITEMS + 1));
        for (JsonNode hit : rescored) {
            float[] v = items.get(hit.path("_id").asText());
            double expected = v == null ? 1.0 : dot(u, v); // a document without a vector keeps its query score
            assertEquals(hit.path("_id").asText(), expected, hit.path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(expected)));
        }

        // _recommend, one user (scored on the shards): the examples are excluded like seen items
        Set<String> examples = new HashSet<>(POSITIVE);
        examples.addAll(NEGATIVE);
        JsonNode one = send(clients[1], "POST", "/items/_recommend", """
            {"field": "emb", "user": %s, "k": 15, "candidates": {"knn": {"num_candidates": 1000, "exact": true}}, "_source": false}"""
            .formatted(EXAMPLES), 200);
        assertThat(one.path("strategy").asText(), equalTo("examples"));
        assertRanking("_recommend", one.path("items"), ranking(u, examples, DOT_SCORE), 15);

        // a batch (scored on the coordinating node): the example user loses its examples, the inline user beside it
        // with (nearly) the same vector does not
        float[] inline = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            inline[d] = (float) u[d];
        }
        JsonNode batch = send(clients[0], "POST", "/items/_recommend", """
            {"field": "emb", "users": [%s, {"vector": %s}], "k": 15, "candidates": {"knn": {"num_candidates": 200, "exact": true}},
             "exclude": {"ids": ["i0"]}, "_source": false}""".formatted(EXAMPLES, JSON.writeValueAsString(inline)), 200);
        assertThat(batch.path("users").get(0).path("strategy").asText(), equalTo("examples"));
        Set<String> examplesAndI0 = new HashSet<>(examples);
        examplesAndI0.add("i0");
        assertRanking("batch example user", batch.path("users").get(0).path("items"), ranking(u, examplesAndI0, DOT_SCORE), 15);
        assertRanking("batch inline user", batch.path("users").get(1).path("items"), ranking(u, Set.of("i0"), DOT_SCORE), 15);
    }

    public void testANegativeChangesTheOrderAndPositivesAloneAreTheirMean() throws Exception {
        setupData();
        String knn = "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": %s, \"k\": 10, \"exact\": true}}}";
        List<String> withNegatives = ids(send(clients[0], "POST", "/items/_search", knn.formatted(EXAMPLES), 200).path("hits").path("hits"));
        JsonNode positiveOnly = send(clients[1], "POST", "/items/_search", knn.formatted(POSITIVE_ONLY), 200).path("hits").path("hits");
        assertThat("negatives move the user", ids(positiveOnly), not(equalTo(withNegatives)));
        assertRanking("positives only", positiveOnly, ranking(reference(POSITIVE, List.of()), Set.of(), DOT_SCORE), 10);

        // without negatives, an example user is the history user of the same items, on every score
        String history = "{\"history\": [\"i3\", \"i8\", \"i21\"], \"index\": \"items\", \"field\": \"emb\"}";
        JsonNode asHistory = send(clients[0], "POST", "/items/_search", knn.formatted(history), 200).path("hits").path("hits");
        assertThat(ids(asHistory), equalTo(ids(positiveOnly)));
        for (int r = 0; r < 10; r++) {
            assertThat(positiveOnly.get(r).path("_score").asDouble(), equalTo(asHistory.get(r).path("_score").asDouble()));
        }
    }

    public void testMissingExamplesAreSkippedAndRepeatsCountOnce() throws Exception {
        setupData();
        // "ghost" does not exist and "novec" has no vector: skipped; the negatives are all missing, so u = mean(i3, i8);
        // i8 listed twice counts once
        String spec = "{\"positive\": [\"ghost\", \"i3\", \"novec\", \"i8\", \"i8\"], \"negative\": [\"ghost-2\", \"novec\"], \"index\": \"items\", \"field\": \"emb\"}";
        JsonNode hits = send(clients[0], "POST", "/items/_search", """
            {"size": 10, "query": {"embedding_knn": {"field": "emb", "user": %s, "k": 10, "exact": true}}}""".formatted(spec), 200)
            .path("hits").path("hits");
        assertRanking("skipped", hits, ranking(reference(List.of("i3", "i8"), List.of()), Set.of(), DOT_SCORE), 10);
    }

    public void testBadExampleUsersGetTheirStatusOnEverySurface() throws Exception {
        setupData();
        RestClient c = clients[0];
        // the user spec goes into each surface at the same place; each surface answers the same condition alike
        List<String> surfaces = List.of(
            "/items/_recommend|{\"field\": \"emb\", \"user\": %s}",
            "/items/_search|{\"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": %s}}}",
            "/items/_search|{\"query\": {\"match_all\": {}}, \"rescore\": {\"window_size\": 10, \"recommender\": {\"field\": \"emb\", \"user\": %s}}}"
        );
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("{\"positive\": [\"ghost\", \"novec\"], \"negative\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\"}",
            new Object[] { 404, "none of the [user.positive] items has a vector in field [emb] of index [items]" });
        cases.put("{\"positive\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"best_score\"}",
            new Object[] { 400, "[user.strategy] [best_score] is not supported yet; supported strategies: [average]" });
        cases.put("{\"positive\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"median\"}",
            new Object[] { 400, "[user.strategy] must be one of [average] but was [median]" });
        cases.put("{\"positive\": [], \"index\": \"items\", \"field\": \"emb\"}", new Object[] { 400, "[user.positive] must name at least one item" });
        cases.put("{\"negative\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\"}", new Object[] { 400, "[user.negative] needs [user.positive]" });
        cases.put("{\"positive\": [\"i1\"], \"id\": \"u1\", \"index\": \"items\", \"field\": \"emb\"}",
            new Object[] { 400, "[user.positive] cannot be combined with [user.id]" });
        cases.put("{\"positive\": [\"i1\", 7], \"index\": \"items\", \"field\": \"emb\"}", new Object[] { 400, "[user.positive][1] must be a string" });
        cases.put("{\"positive\": [\"i1\"], \"field\": \"emb\"}", new Object[] { 400, "[user.positive] needs [user.index] and [user.field]" });
        cases.put("{\"positive\": [\"i1\"], \"index\": \"nowhere\", \"field\": \"emb\"}",
            new Object[] { 404, "example items cannot be read: index [nowhere] does not exist" });
        cases.put("{\"positive\": [\"n1\"], \"index\": \"narrow\", \"field\": \"emb\"}", new Object[] { 400, "3 dimensions" });
        for (String surface : surfaces) {
            String[] parts = surface.split("\\|", 2);
            for (Map.Entry<String, Object[]> e : cases.entrySet()) {
                assertError(c, "POST", parts[0], parts[1].formatted(e.getKey()), (Integer) e.getValue()[0], (String) e.getValue()[1]);
            }
        }
    }

    /** u = 2·mean(positive) − mean(negative) (or mean(positive)), in double, from the indexed floats. */
    private double[] reference(List<String> positive, List<String> negative) {
        double[] p = mean(positive);
        if (negative.isEmpty()) {
            return p;
        }
        double[] n = mean(negative);
        double[] u = new double[DIMS];
        for (int d = 0; d < DIMS; d++) {
            u[d] = 2 * p[d] - n[d];
        }
        return u;
    }

    private double[] mean(List<String> ids) {
        double[] mean = new double[DIMS];
        for (String id : ids) {
            for (int d = 0; d < DIMS; d++) {
                mean[d] += items.get(id)[d] / (double) ids.size();
            }
        }
        return mean;
    }

    private List<Map.Entry<String, Double>> ranking(double[] u, Set<String> excluded, ToDoubleBiFunction<double[], float[]> score) {
        return ExpectedRankings.ranking(items, u, excluded, score);
    }
}
