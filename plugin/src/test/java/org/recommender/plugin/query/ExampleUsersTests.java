package org.recommender.plugin.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.client.RestClient;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.plugin.RecommenderHttpIntegTestCase;
import org.recommender.plugin.mapper.VectorBlock;
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
        cases.put("{\"positive\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"median\"}",
            new Object[] { 400, "[user.strategy] must be one of [average, best_score] but was [median]" });
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

    private static final String BEST = "{\"positive\": [\"i3\", \"i8\", \"i21\"], \"negative\": [\"i40\", \"i55\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"best_score\"}";

    public void testABestScoreUserRanksAsItsDefinitionOnEverySurface() throws Exception {
        setupData();
        List<Map.Entry<String, Double>> byDot = bestScoreRanking(POSITIVE, NEGATIVE, Set.of(), false);
        assertTrue("the setup must put items of both branches in the list: " + byDot,
            byDot.get(0).getValue() >= 1 && byDot.get(byDot.size() - 1).getValue() <= 0.5);

        // embedding_knn: exact on a dot_product and a cosine field; approximate (a graph search per positive, its
        // num_candidates covering every item, so the union is every item); a filter applied inside the search
        String knn = "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"%s\", \"user\": %s, \"k\": 10, %s}}}";
        assertRanking("exact dot", hits(clients[0], knn.formatted("emb", BEST, "\"exact\": true")), byDot, 10);
        // by cosine every positive is its own nearest example (cos = 1): a tie of three, so the examples stay out
        Set<String> allExamples = new HashSet<>(POSITIVE);
        allExamples.addAll(NEGATIVE);
        assertRanking("exact cosine", hits(clients[1], knn.formatted("cos", BEST.replace("\"field\": \"emb\"", "\"field\": \"cos\""),
            "\"exact\": true, \"filter\": {\"bool\": {\"must_not\": {\"ids\": {\"values\": " + JSON.writeValueAsString(allExamples) + "}}}}")),
            bestScoreRanking(POSITIVE, NEGATIVE, allExamples, true), 10);
        assertRanking("approximate", hits(clients[1], knn.formatted("emb", BEST, "\"num_candidates\": 300")), byDot, 10);
        Set<String> dropped = Set.of(byDot.get(0).getKey(), byDot.get(2).getKey());
        assertRanking("filtered", hits(clients[0], knn.formatted("emb", BEST,
            "\"exact\": true, \"filter\": {\"bool\": {\"must_not\": {\"ids\": {\"values\": " + JSON.writeValueAsString(dropped) + "}}}}")),
            bestScoreRanking(POSITIVE, NEGATIVE, dropped, false), 10);
        assertRanking("filtered, approximate", hits(clients[1], knn.formatted("emb", BEST,
            "\"num_candidates\": 300, \"filter\": {\"bool\": {\"must_not\": {\"ids\": {\"values\": " + JSON.writeValueAsString(dropped) + "}}}}")),
            bestScoreRanking(POSITIVE, NEGATIVE, dropped, false), 10);

        // the rescorer: every item of the window gets its best-score score by the rescorer's source
        for (String source : List.of("dot", "cosine")) {
            JsonNode rescored = send(clients[1], "POST", "/items/_search", """
                {"size": 300, "query": {"match_all": {}}, "rescore": {"window_size": 300,
                 "recommender": {"user": %s, "field": "emb", "source": "%s", "score_mode": "replace"}}}""".formatted(BEST, source), 200)
                .path("hits").path("hits");
            assertThat(rescored.size(), equalTo(ITEMS + 1));
            Map<String, Double> expected = new java.util.HashMap<>();
            bestScoreRanking(POSITIVE, NEGATIVE, Set.of(), source.equals("cosine")).forEach(e -> expected.put(e.getKey(), e.getValue()));
            for (JsonNode hit : rescored) {
                Double score = expected.get(hit.path("_id").asText());
                double want = score == null ? 1.0 : score; // a document without a vector keeps its query score
                assertEquals(source + " " + hit.path("_id").asText(), want, hit.path("_score").asDouble(), 1e-5 * Math.max(1, want));
            }
        }

        // _recommend, one user, exact and knn candidates: the examples are excluded like seen items
        Set<String> examples = new HashSet<>(POSITIVE);
        examples.addAll(NEGATIVE);
        List<Map.Entry<String, Double>> recommendable = bestScoreRanking(POSITIVE, NEGATIVE, examples, false);
        for (String candidates : List.of("{\"knn\": {\"num_candidates\": 300, \"exact\": true}}", "{\"knn\": {\"num_candidates\": 300}}",
            "{\"query\": {\"match\": {\"title\": \"item\"}}, \"num_candidates\": 300}")) {
            JsonNode one = send(clients[1], "POST", "/items/_recommend", """
                {"field": "emb", "user": %s, "k": 15, "candidates": %s, "_source": false, "explain": true}""".formatted(BEST, candidates), 200);
            assertThat(one.path("strategy").asText(), equalTo("examples"));
            assertRanking("_recommend " + candidates, one.path("items"), recommendable, 15);
            assertThat(one.path("items").get(0).path("_explanation").path("scored_by").asText(),
                equalTo("best_score against 3 positive and 2 negative examples by field similarity [dot_product] of [emb]"));
        }

        // a batch: the best-score user is scored by its search, the vector user beside it on this node, each as alone
        JsonNode batch = send(clients[0], "POST", "/items/_recommend", """
            {"field": "emb", "users": [%s, {"vector": %s}], "k": 15, "candidates": {"knn": {"num_candidates": 200, "exact": true}},
             "exclude": {"ids": ["%s"]}, "_source": false}""".formatted(BEST, JSON.writeValueAsString(items.get("i7")), recommendable.get(1).getKey()), 200);
        assertThat(batch.path("users").get(0).path("strategy").asText(), equalTo("examples"));
        Set<String> examplesAndOne = new HashSet<>(examples);
        examplesAndOne.add(recommendable.get(1).getKey());
        assertRanking("batch best-score user", batch.path("users").get(0).path("items"), bestScoreRanking(POSITIVE, NEGATIVE, examplesAndOne, false), 15);
        double[] i7 = new double[DIMS];
        for (int d = 0; d < DIMS; d++) {
            i7[d] = items.get("i7")[d];
        }
        assertRanking("batch vector user", batch.path("users").get(1).path("items"),
            ranking(i7, Set.of(recommendable.get(1).getKey()), DOT_SCORE), 15);

        // a stored dot model scores with the example as its user: u·v through the dot transform, as the dot field
        send(clients[0], "PUT", "/_plugins/_recommender/models/plain-dot",
            "{\"bundle\":\"" + java.util.Base64.getEncoder().encodeToString(org.recommender.core.model.ModelBundle.dot(DIMS).toBytes()) + "\"}", 201);
        JsonNode withModel = send(clients[0], "POST", "/items/_recommend", """
            {"field": "emb", "user": %s, "k": 15, "model": "plain-dot", "candidates": {"knn": {"num_candidates": 300}}, "_source": false}"""
            .formatted(BEST), 200);
        assertRanking("_recommend with a dot model", withModel.path("items"), recommendable, 15);
        JsonNode rescoredByModel = send(clients[1], "POST", "/items/_search", """
            {"size": 10, "query": {"match_all": {}}, "rescore": {"window_size": 300,
             "recommender": {"user": %s, "field": "emb", "model": "plain-dot", "score_mode": "replace"}}}""".formatted(BEST), 200)
            .path("hits").path("hits");
        assertRanking("rescorer with a dot model", rescoredByModel, byDot, 10);
    }

    public void testBestScoreWithoutNegativesIsTheNearestPositive() throws Exception {
        setupData();
        String positives = "{\"positive\": [\"i3\", \"i8\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"best_score\"}";
        JsonNode hits = hits(clients[0], "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": " + positives + ", \"exact\": true}}}");
        // 1 + the item's best dot_product score against either positive
        Map<String, float[]> vectors = items;
        List<Map.Entry<String, Double>> expected = new java.util.ArrayList<>();
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            double best = Math.max(DOT_SCORE.applyAsDouble(asDouble(items.get("i3")), e.getValue()), DOT_SCORE.applyAsDouble(asDouble(items.get("i8")), e.getValue()));
            expected.add(Map.entry(e.getKey(), 1 + best));
        }
        expected.sort(Map.Entry.<String, Double>comparingByValue(java.util.Comparator.reverseOrder()));
        assertRanking("positives only", hits, expected, 10);
        assertThat(bestScoreRanking(List.of("i3", "i8"), List.of(), Set.of(), false).subList(0, 10), equalTo(expected.subList(0, 10)));
    }

    /**
     * What a best-score scan holds (its kept k, its vector block, and for approximate candidates a bit per document of
     * the shard) is reserved on the node's {@code request} breaker first: under a limit below it the search is refused
     * with 429 naming the reservation, with the limit back it finds its hits, and the breaker holds after what it held
     * before.
     */
    public void testABestScoreScanGoesThroughTheRequestBreaker() throws Exception {
        setupData();
        String best = "{\"positive\": [\"i3\", \"i8\"], \"negative\": [\"i40\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"best_score\"}";
        long before = settledRequestBreakerBytes(clients[0]);
        for (boolean exact : new boolean[] { true, false }) {
            String search = "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": " + best + ", \"exact\": " + exact + "}}}";
            try {
                // below one vector block of this field, the smallest part of what the scan reserves
                send(clients[0], "PUT", "/_cluster/settings", "{\"transient\":{\"indices.breaker.request.limit\":\"" + (VectorBlock.bytes(DIMS) - 1) + "b\"}}", 200);
                assertError(clients[0], "POST", "/items/_search", search, 429, "embedding_knn examples scan");
            } finally {
                send(clients[0], "PUT", "/_cluster/settings", "{\"transient\":{\"indices.breaker.request.limit\":null}}", 200);
            }
            assertEquals(10, hits(clients[0], search).size());
        }
        assertRequestBreakerBack(clients[0], before);
    }

    /**
     * A best-score scan compares every scanned document with every example on one thread: bounded by
     * {@code recommender.scoring.max_work} before it starts. One shard of 50 documents, scanned exactly against 2
     * positives and 1 negative of 8 dimensions: 50 × 3 × 8 = 1,200 multiply-adds (worked out by hand). At a budget of
     * 1,200 it is served, at 1,199 refused with a 400 naming the examples; with a filter of 10 documents, 240.
     */
    public void testABestScoreScanIsBoundedByTheScoringBudget() throws Exception {
        setupData();
        send(clients[0], "PUT", "/one", "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}}", 200);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            bulk.append("{\"index\":{\"_index\":\"one\",\"_id\":\"o").append(i).append("\"}}\n")
                .append(JSON.writeValueAsString(Map.of("emb", items.get("i" + i)))).append('\n');
        }
        bulk(clients[0], bulk.toString());
        String best = "{\"positive\": [\"i3\", \"i8\"], \"negative\": [\"i40\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"best_score\"}";
        String search = "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": " + best + ", \"exact\": true}}}";
        try {
            send(clients[0], "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":1200}}", 200);
            assertEquals(10, send(clients[1], "POST", "/one/_search", search, 200).path("hits").path("hits").size());
            send(clients[0], "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":1199}}", 200);
            assertError(clients[1], "POST", "/one/_search", search, 400,
                "[user.positive]: comparing up to 50 documents with each of 3 examples (8 multiply-adds each) takes 1,200 multiply-adds, more than the 1,199");
            // a filter of 10 documents: only those are compared, 10 × 3 × 8 = 240
            String filtered = "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": " + best + ", \"exact\": true, "
                + "\"filter\": {\"ids\": {\"values\": [\"o0\", \"o1\", \"o2\", \"o3\", \"o4\", \"o5\", \"o6\", \"o7\", \"o8\", \"o9\"]}}}}}";
            send(clients[0], "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":240}}", 200);
            assertEquals(10, send(clients[1], "POST", "/one/_search", filtered, 200).path("hits").path("hits").size());
            send(clients[0], "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":239}}", 200);
            assertError(clients[1], "POST", "/one/_search", filtered, 400, "[user.positive]: comparing up to 10 documents with each of 3 examples");
        } finally {
            send(clients[0], "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":null}}", 200);
        }
    }

    /**
     * A zero user vector against a cosine field is a 400 on every surface: a candidate query's ranking (every item
     * 0.5) and the rescorer's cosine source (every item 0) took it where knn candidates and {@code embedding_knn}
     * refused it.
     */
    public void testAZeroVectorAgainstACosineFieldIsRefusedOnEverySurface() throws Exception {
        setupData();
        String zero = "{\"vector\": [0, 0, 0, 0, 0, 0, 0, 0]}";
        String refused = "[user vector] is the zero vector; cosine similarity is undefined for it";
        RestClient c = clients[0];
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"cos\", \"k\": 5, \"user\": " + zero + ", \"candidates\": {\"query\": {\"match_all\": {}}}}",
            400, refused);
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"cos\", \"k\": 5, \"user\": " + zero + "}", 400, refused);
        assertError(c, "POST", "/items/_search", "{\"query\": {\"embedding_knn\": {\"field\": \"cos\", \"user\": " + zero + "}}}", 400, refused);
        assertError(c, "POST", "/items/_search", "{\"query\": {\"match_all\": {}}, \"rescore\": {\"window_size\": 10, \"recommender\": {\"field\": \"cos\", "
            + "\"source\": \"cosine\", \"user\": " + zero + "}}}", 400, refused);
    }

    public void testBestScoreRefusesWhatCannotScoreIt() throws Exception {
        setupData();
        RestClient c = clients[0];
        send(c, "PUT", "/_plugins/_recommender/models/neural", "{\"bundle\":\"" + java.util.Base64.getEncoder().encodeToString(
            org.recommender.core.model.RandomModels.mlp(DIMS, new int[] { 8 }, 3).toBytes()) + "\"}", 201);
        String refused = "[user.strategy] [best_score] compares items with each example by a similarity, but [model] [neural] is a [mlp] model,"
            + " which scores one user vector: use [user.strategy] [average], or a [dot] or [cosine] model";
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"model\": \"neural\", \"user\": " + BEST + "}", 400, refused);
        assertError(c, "POST", "/items/_search", "{\"query\": {\"match_all\": {}}, \"rescore\": {\"window_size\": 10, \"recommender\": {\"field\": \"emb\", \"model\": \"neural\", \"user\": "
            + BEST + "}}}", 400, refused);
        // the average of the same examples is one user vector, which the neural model takes
        send(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"model\": \"neural\", \"user\": " + EXAMPLES + "}", 200);

        List<String> surfaces = List.of(
            "/items/_recommend|{\"field\": \"emb\", \"user\": %s}",
            "/items/_search|{\"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": %s}}}",
            "/items/_search|{\"query\": {\"match_all\": {}}, \"rescore\": {\"window_size\": 10, \"recommender\": {\"field\": \"emb\", \"user\": %s}}}"
        );
        for (String surface : surfaces) {
            String[] parts = surface.split("\\|", 2);
            assertError(c, "POST", parts[0], parts[1].formatted("{\"positive\": [\"n1\"], \"index\": \"narrow\", \"field\": \"emb\", \"strategy\": \"best_score\"}"),
                400, "[user] example vectors have 3 dimensions but field [emb] has 8");
            assertError(c, "POST", parts[0], parts[1].formatted("{\"positive\": [\"ghost\"], \"negative\": [\"i1\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"best_score\"}"),
                404, "none of the [user.positive] items has a vector in field [emb] of index [items]");
        }
    }

    public void testItemsAreReadRealtimeFromLuceneAndFromSourceWhereTheFieldHoldsNoVectors() throws Exception {
        setupData();
        // "fresh" may become searchable at the next scheduled refresh: kept out of every result, so no answer depends on when
        String knn = "{\"size\": 10, \"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": %s, \"k\": 10, \"exact\": true,"
            + " \"filter\": {\"bool\": {\"must_not\": {\"ids\": {\"values\": [\"fresh\"]}}}}}}}";
        // written without a refresh: not searchable yet, but a history names it and its vector counts at once
        float[] fresh = { 0.9f, -0.1f, 0.3f, 0.7f, -0.8f, 0.2f, 0.05f, -0.6f };
        send(clients[0], "PUT", "/items/_doc/fresh?refresh=false", JSON.writeValueAsString(Map.of("emb", fresh)), 201);
        JsonNode byFresh = hits(clients[1], knn.formatted("{\"history\": [\"fresh\"], \"index\": \"items\", \"field\": \"emb\"}"));
        assertRanking("a history item written a moment ago", byFresh, ranking(asDouble(fresh), Set.of(), DOT_SCORE), 10);

        // the same vectors as plain numbers (no embedding field): read from _source, the same user and scores
        send(clients[0], "PUT", "/plain", "{\"settings\": {\"number_of_shards\": 2}, \"mappings\": {\"properties\": {\"vec\": {\"type\": \"float\"}}}}", 200);
        StringBuilder bulk = new StringBuilder();
        for (String id : List.of("i3", "i8", "i40")) {
            bulk.append("{\"index\":{\"_index\":\"plain\",\"_id\":\"").append(id).append("\"}}\n")
                .append(JSON.writeValueAsString(Map.of("vec", items.get(id)))).append('\n');
        }
        bulk(clients[0], bulk.toString());
        for (String strategy : List.of("average", "best_score")) {
            String fromLucene = "{\"positive\": [\"i3\", \"i8\"], \"negative\": [\"i40\"], \"index\": \"items\", \"field\": \"emb\", \"strategy\": \"" + strategy + "\"}";
            String fromSource = "{\"positive\": [\"i3\", \"i8\"], \"negative\": [\"i40\"], \"index\": \"plain\", \"field\": \"vec\", \"strategy\": \"" + strategy + "\"}";
            JsonNode a = hits(clients[0], knn.formatted(fromLucene));
            JsonNode b = hits(clients[1], knn.formatted(fromSource));
            assertThat(strategy, ids(b), equalTo(ids(a)));
            for (int r = 0; r < 10; r++) {
                assertThat(strategy + " rank " + r, b.get(r).path("_score").asDouble(), equalTo(a.get(r).path("_score").asDouble()));
            }
        }
        assertRanking("average from _source", hits(clients[0], knn.formatted(
            "{\"positive\": [\"i3\", \"i8\"], \"negative\": [\"i40\"], \"index\": \"plain\", \"field\": \"vec\"}")),
            ranking(reference(List.of("i3", "i8"), List.of("i40")), Set.of(), DOT_SCORE), 10);
    }

    private static JsonNode hits(RestClient client, String body) throws IOException {
        return send(client, "POST", "/items/_search", body, 200).path("hits").path("hits");
    }

    private static double[] asDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private List<Map.Entry<String, Double>> bestScoreRanking(List<String> positive, List<String> negative, Set<String> excluded, boolean cosine) {
        return ExpectedRankings.bestScoreRanking(items, positive, negative, excluded, cosine);
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
