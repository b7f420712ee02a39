package org.recommender.plugin.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.client.RestClient;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.core.model.FiniteScores;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.plugin.RecommenderHttpIntegTestCase;
import org.recommender.plugin.ReferenceScores;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * {@code POST /{index}/_recommend} on a three-node cluster with four shards and replicas, each request sent through
 * a different node: exact rankings equal a brute force computed here, filters and exclusions never leak, MMR matches
 * an independent implementation, a batch equals its users asked one by one, the cold-start chain, and every bad
 * input gets its status and a message naming the field.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 3, numClientNodes = 0, supportsDedicatedMasters = false)
public class RecommendTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 8;
    private static final int ITEMS = 240;
    private static final String[] CATEGORIES = { "a", "b", "c" };

    private final Map<String, float[]> items = new LinkedHashMap<>();
    private final Map<String, String> category = new LinkedHashMap<>();
    private final Map<String, float[]> users = new LinkedHashMap<>();
    private final Map<String, List<String>> seen = new LinkedHashMap<>();
    private RestClient[] clients;

    /** Indexes the items and users (each test starts from an empty cluster) and opens a client per node. */
    private void setupData() throws Exception {
        clients = clientPerNode();
        Random random = new Random(42);
        prepareCreate("items").setSettings(Settings.builder().put("index.number_of_shards", 4).put("index.number_of_replicas", 1))
            .setMapping(
                "{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},\"category\":{\"type\":\"keyword\"},"
                    + "\"popularity\":{\"type\":\"integer\"},\"title\":{\"type\":\"text\"}}}"
            )
            .get();
        prepareCreate("users").setMapping(
            "{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},\"seen\":{\"type\":\"keyword\"},\"history\":{\"type\":\"keyword\"}}}"
        ).get();
        ensureGreen("items", "users");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            String id = "i" + i;
            float[] v = randomVector(random);
            items.put(id, v);
            category.put(id, CATEGORIES[i % 3]);
            bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"").append(id).append("\"}}\n");
            bulk.append("{\"emb\":").append(Arrays.toString(v)).append(",\"category\":\"").append(CATEGORIES[i % 3]);
            bulk.append("\",\"popularity\":").append((i * 37) % 1000).append(",\"title\":\"item ").append(i).append("\"}\n");
        }
        bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"no-vector\"}}\n{\"category\":\"a\",\"popularity\":5000}\n");
        for (int u = 0; u < 6; u++) {
            String id = "u" + u;
            float[] v = randomVector(random);
            users.put(id, v);
            List<String> s = List.of("i" + (u * 7), "i" + (u * 7 + 1), "i" + (u * 11 + 2));
            seen.put(id, s);
            bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"").append(id).append("\"}}\n");
            bulk.append("{\"emb\":").append(Arrays.toString(v)).append(",\"seen\":").append(quoted(s)).append("}\n");
        }
        bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"newcomer\"}}\n{\"history\":[\"i3\",\"i4\",\"i5\"]}\n");
        bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"stranger\"}}\n{\"seen\":[\"i1\"]}\n");
        bulk(clients[0], bulk.toString());
    }

    public void testExactRecommendationsEqualBruteForceWithAndWithoutAModel() throws Exception {
        setupData();
        for (int trial = 0; trial < 3; trial++) {
            String user = "u" + trial;
            JsonNode response = send(clients[trial], "POST", "/items/_recommend", """
                {"field": "emb", "user": {"id": "%s", "index": "users", "field": "emb"}, "k": 15,
                 "candidates": {"knn": {"num_candidates": 1000, "exact": true}}, "_source": false}""".formatted(user), 200);
            assertThat(response.path("strategy").asText(), equalTo("embedding"));
            assertThat(response.path("user_id").asText(), equalTo(user));
            assertThat(response.path("model").path("type").asText(), equalTo("dot_product"));
            assertRanking(response.path("items"), bruteForce(users.get(user), Set.of(), null, v -> ReferenceScores.dot(users.get(user), v)), 15);
        }

        ModelBundle neumf = RandomModels.neumf(DIMS, new int[] { 16, 8 }, 7);
        send(clients[0], "PUT", "/_plugins/_recommender/models/ranker", "{\"bundle\":\"" + Base64.getEncoder().encodeToString(neumf.toBytes()) + "\"}", 201);
        ScoringModel reference = neumf.compile(KernelProvider.jvmOnly());
        float[] u = users.get("u3");
        JsonNode response = send(clients[1], "POST", "/items/_recommend", """
            {"field": "emb", "user": {"vector": %s}, "k": 20, "model": "ranker",
             "candidates": {"knn": {"num_candidates": 1000, "exact": true}}, "_source": ["title"], "explain": true, "profile": true}"""
            .formatted(Arrays.toString(u)), 200);
        assertThat(response.path("strategy").asText(), equalTo("vector"));
        assertThat(response.path("model").path("id").asText(), equalTo("ranker"));
        assertThat(response.path("model").path("version").asLong(), equalTo(1L));
        assertThat(response.path("model").path("type").asText(), equalTo("neumf"));
        assertRanking(response.path("items"), bruteForce(u, Set.of(), null, v -> reference.score(u, v)), 20);
        JsonNode first = response.path("items").get(0);
        assertThat(first.path("_source").path("title").asText(), equalTo("item " + first.path("_id").asText().substring(1)));
        assertFalse("the vector is not returned unless asked", first.path("_source").has("emb"));
        assertThat(first.path("_explanation").path("scored_by").asText(), equalTo("model [ranker] version [1]"));
        assertThat(first.path("_explanation").path("rank_by_score").asInt(), equalTo(1));
        for (String stage : List.of("model", "users", "candidates", "scoring", "ranking", "sources")) {
            assertTrue(stage + " in " + response.path("profile"), response.path("profile").has(stage + "_in_nanos"));
        }
    }

    public void testFiltersAndExclusionsNeverLeak() throws Exception {
        setupData();
        for (int trial = 0; trial < 6; trial++) {
            String user = "u" + trial;
            String cat = CATEGORIES[trial % 3];
            Set<String> excluded = new HashSet<>(seen.get(user));
            excluded.addAll(List.of("i0", "i3", "i6", "i9", "i12"));
            boolean knn = trial % 2 == 0;
            String candidates = knn
                ? "{\"knn\": {\"num_candidates\": 1000, \"exact\": " + (trial < 3) + "}}"
                : "{\"query\": {\"match_all\": {}}, \"num_candidates\": 1000}";
            JsonNode response = send(clients[trial % 3], "POST", "/items/_recommend", """
                {"field": "emb", "user": {"id": "%s", "index": "users", "field": "emb"}, "k": 60,
                 "candidates": %s, "filter": {"term": {"category": "%s"}},
                 "exclude": {"ids": ["i0", "i3", "i6", "i9", "i12"], "seen_field": "seen"}}""".formatted(user, candidates, cat), 200);
            JsonNode list = response.path("items");
            assertThat(list.size(), equalTo(60));
            for (JsonNode item : list) {
                String id = item.path("_id").asText();
                assertFalse(id + " is excluded but was returned", excluded.contains(id));
                assertThat(id, item.path("_source").path("category").asText(), equalTo(cat));
            }
            if (trial < 3 || knn == false) { // exact candidates: the ranking must be the brute force one over what is allowed
                assertRanking(list, bruteForce(users.get(user), excluded, cat, v -> ReferenceScores.dot(users.get(user), v)), 60);
            }
        }
    }

    public void testMmrMatchesAnIndependentImplementation() throws Exception {
        setupData();
        float[] u = users.get("u4");
        int pool = 30;
        double lambda = 0.3;
        JsonNode response = send(clients[2], "POST", "/items/_recommend", """
            {"field": "emb", "user": {"vector": %s}, "k": 8, "candidates": {"knn": {"num_candidates": 300, "exact": true}},
             "diversity": {"mmr": {"lambda": %s, "pool": %s}}, "explain": true}""".formatted(Arrays.toString(u), lambda, pool), 200);
        List<Map.Entry<String, Double>> ranked = bruteForce(u, Set.of(), null, v -> ReferenceScores.dot(u, v));
        List<String> expected = mmr(ranked.subList(0, pool), lambda, 8);
        List<String> actual = new ArrayList<>();
        response.path("items").forEach(i -> actual.add(i.path("_id").asText()));
        assertThat(actual, equalTo(expected));
        assertThat(response.path("items").get(1).path("_explanation").path("mmr").path("lambda").asDouble(), equalTo(lambda));
        List<String> plain = ranked.subList(0, 8).stream().map(Map.Entry::getKey).toList();
        assertNotEquals("with λ = 0.3 the list must change", plain, actual);
    }

    /**
     * What is scored on the coordinating node (a batch, MMR) reads the candidates' vectors from the field's Lucene
     * values, as the shards do, not from {@code _source}: an index that keeps no source ranks the same. The fields
     * option refused such an index (400 on every shard) while a single user was served.
     */
    public void testBatchesAndMmrRankAnIndexWithoutSource() throws Exception {
        setupData();
        send(clients[0], "PUT", "/bare", "{\"settings\":{\"number_of_shards\":2},\"mappings\":{\"_source\":{\"enabled\":false},"
            + "\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}}", 200);
        StringBuilder bulk = new StringBuilder();
        for (Map.Entry<String, float[]> item : items.entrySet()) {
            bulk.append("{\"index\":{\"_index\":\"bare\",\"_id\":\"").append(item.getKey()).append("\"}}\n{\"emb\":")
                .append(Arrays.toString(item.getValue())).append("}\n");
        }
        bulk(clients[0], bulk.toString());
        String common = "\"field\": \"emb\", \"k\": 6, \"candidates\": {\"knn\": {\"num_candidates\": 1000, \"exact\": true}}, \"_source\": false";
        JsonNode batch = send(clients[1], "POST", "/bare/_recommend", "{" + common + ", \"users\": [{\"vector\": " + Arrays.toString(users.get("u0"))
            + "}, {\"vector\": " + Arrays.toString(users.get("u1")) + "}]}", 200);
        for (int i = 0; i < 2; i++) {
            float[] u = users.get("u" + i);
            assertRanking(batch.path("users").get(i).path("items"), bruteForce(u, Set.of(), null, v -> ReferenceScores.dot(u, v)), 6);
        }
        float[] u = users.get("u2");
        JsonNode diverse = send(clients[2], "POST", "/bare/_recommend", "{" + common + ", \"user\": {\"vector\": " + Arrays.toString(u)
            + "}, \"diversity\": {\"mmr\": {\"lambda\": 0.3, \"pool\": 30}}}", 200);
        List<String> actual = new ArrayList<>();
        diverse.path("items").forEach(i -> actual.add(i.path("_id").asText()));
        assertThat(actual, equalTo(mmr(bruteForce(u, Set.of(), null, v -> ReferenceScores.dot(u, v)).subList(0, 30), 0.3, 6)));
    }

    public void testABatchEqualsItsUsersAskedOneByOne() throws Exception {
        setupData();
        ModelBundle mlp = RandomModels.mlp(DIMS, new int[] { 32, 16 }, 11);
        send(clients[0], "PUT", "/_plugins/_recommender/models/batch-ranker", "{\"bundle\":\"" + Base64.getEncoder().encodeToString(mlp.toBytes()) + "\"}", 201);
        List<String> specs = List.of(
            "{\"id\": \"u1\", \"index\": \"users\", \"field\": \"emb\"}",
            "{\"vector\": " + Arrays.toString(users.get("u5")) + "}",
            "{\"history\": [\"i10\", \"i11\"], \"index\": \"items\", \"field\": \"emb\"}",
            "{\"id\": \"u2\", \"index\": \"users\", \"field\": \"emb\"}"
        );
        String common = "\"field\": \"emb\", \"k\": 12, \"model\": \"batch-ranker\", \"candidates\": {\"knn\": {\"num_candidates\": 120}},"
            + " \"exclude\": {\"seen_field\": \"seen\"}, \"diversity\": {\"mmr\": {\"lambda\": 0.7}}";
        Map<String, Long> before = batchCounters();
        JsonNode batch = send(clients[1], "POST", "/items/_recommend", "{" + common + ", \"users\": [" + String.join(",", specs) + "]}", 200);
        assertThat(batch.path("users").size(), equalTo(specs.size()));
        Map<String, Long> after = batchCounters();
        long calls = 0;
        for (String kernel : after.keySet()) {
            calls += after.get(kernel) - before.get(kernel);
        }
        assertThat("the batch's one coordinator-side call is counted by kernel: " + before + " -> " + after, calls, equalTo(1L));
        assertThat("hundreds of candidates per user never go item by item", after.get("java"), equalTo(before.get("java")));
        for (int i = 0; i < specs.size(); i++) {
            JsonNode single = send(clients[i % 3], "POST", "/items/_recommend", "{" + common + ", \"user\": " + specs.get(i) + "}", 200);
            JsonNode fromBatch = batch.path("users").get(i);
            assertThat(fromBatch.path("strategy").asText(), equalTo(single.path("strategy").asText()));
            assertThat(fromBatch.path("items").size(), equalTo(12));
            for (int r = 0; r < 12; r++) {
                JsonNode a = fromBatch.path("items").get(r);
                JsonNode b = single.path("items").get(r);
                assertThat("user " + i + " rank " + r, a.path("_id").asText(), equalTo(b.path("_id").asText()));
                assertEquals(b.path("_score").asDouble(), a.path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(b.path("_score").asDouble())));
            }
        }
        assertThat(batch.path("users").get(2).path("strategy").asText(), equalTo("history"));
    }

    /**
     * A batch whose candidates come back with their vectors to be scored here reserves what the coordinating node
     * will hold for them in the plugin's breaker before the searches go out: under a limit too small for them the
     * request is refused with 429 naming them, and once it is ranked (or refused) the breaker holds what it held
     * before.
     */
    public void testABatchsCandidateVectorsAreReservedBeforeTheSearches() throws Exception {
        setupData();
        String batch = "{\"field\": \"emb\", \"k\": 5, \"candidates\": {\"knn\": {\"num_candidates\": 50}}, \"users\": ["
            + "{\"vector\": " + Arrays.toString(users.get("u0")) + "}, {\"vector\": " + Arrays.toString(users.get("u1")) + "}]}";
        long held = clusterBreakerBytes(clients[0], "recommender");
        try {
            send(clients[0], "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":\"1b\"}}", 200);
            assertError(clients[1], "POST", "/items/_recommend", batch, 429, "_recommend candidates' vectors");
            // with explanations, what they will hold is reserved first (2 users × 5 items × 1 KB)
            assertError(clients[1], "POST", "/items/_recommend", batch.replace("\"k\": 5,", "\"k\": 5, \"explain\": true,"), 429,
                "_recommend explanations");
        } finally {
            send(clients[0], "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":null}}", 200);
        }
        JsonNode ranked = send(clients[1], "POST", "/items/_recommend", batch, 200);
        assertThat(ranked.path("users").size(), equalTo(2));
        assertThat(ranked.path("users").get(0).path("items").size(), equalTo(5));
        assertBusy(() -> assertThat("every reservation was released", clusterBreakerBytes(clients[0], "recommender"), equalTo(held)));
    }

    /**
     * A batch whose model scoring is over {@code recommender.scoring.max_work} is a 400 naming candidates.num_candidates before
     * any candidate search goes out; at the limit it is served. Two users scored on this node, each over 1,000
     * candidates from each of the 4 shards, by neumf(8, {16, 8}): 16·8 (the tower's first layer over the item) + 4
     * (the GMF skip row) + 16·8 + 8 = 268 multiply-adds an item, worked out by hand: 2 × 4,000 × 268 = 2,144,000.
     */
    public void testABatchOverTheScoringBudgetIsRefusedBeforeItsSearches() throws Exception {
        setupData();
        ModelBundle neumf = RandomModels.neumf(DIMS, new int[] { 16, 8 }, 9);
        send(clients[0], "PUT", "/_plugins/_recommender/models/budgeted", "{\"bundle\":\"" + Base64.getEncoder().encodeToString(neumf.toBytes()) + "\"}", 201);
        String batch = "{\"field\": \"emb\", \"k\": 5, \"model\": \"budgeted\", \"candidates\": {\"knn\": {\"num_candidates\": 1000}}, \"users\": ["
            + "{\"vector\": " + Arrays.toString(users.get("u0")) + "}, {\"vector\": " + Arrays.toString(users.get("u1")) + "}]}";
        long searches = searchRequests();
        try {
            send(clients[0], "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":2143999}}", 200);
            assertError(clients[1], "POST", "/items/_recommend", batch, 400,
                "[candidates.num_candidates]: ranking on the coordinating node (scoring up to 4,000 candidates for each of 2 users with model [budgeted]"
                    + " version [1] (268 multiply-adds an item)) takes 2,144,000 multiply-adds, more than the 2,143,999 that [recommender.scoring.max_work] allows");
            assertEquals("no candidate search went out", searches, searchRequests());
            send(clients[0], "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":2144000}}", 200);
            JsonNode ranked = send(clients[2], "POST", "/items/_recommend", batch, 200);
            assertThat(ranked.path("users").size(), equalTo(2));
            assertThat(ranked.path("users").get(1).path("items").size(), equalTo(5));
        } finally {
            send(clients[0], "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.scoring.max_work\":null}}", 200);
        }
    }

    /** @return the {@code recommend_batches_*} counters summed over every node, by kernel */
    private Map<String, Long> batchCounters() throws IOException {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String kernel : List.of("java", "simd", "nd4j", "gpu")) {
            sums.put(kernel, 0L);
        }
        for (JsonNode node : send(clients[0], "GET", "/_plugins/_recommender/stats", null, 200).path("nodes")) {
            sums.replaceAll((kernel, sum) -> sum + node.path("counters").path("recommend_batches_" + kernel).asLong());
        }
        return sums;
    }

    public void testColdStartUsesHistoryThenTheFallbackAndSaysWhich() throws Exception {
        setupData();
        String coldStart = "\"cold_start\": {\"history_field\": \"history\", \"fallback_field\": \"popularity\"}";
        JsonNode newcomer = send(clients[0], "POST", "/items/_recommend", """
            {"field": "emb", "user": {"id": "newcomer", "index": "users", "field": "emb"}, "k": 5,
             "candidates": {"knn": {"num_candidates": 500, "exact": true}}, %s}""".formatted(coldStart), 200);
        assertThat(newcomer.path("strategy").asText(), equalTo("history"));
        float[] mean = new float[DIMS];
        for (String id : List.of("i3", "i4", "i5")) {
            for (int d = 0; d < DIMS; d++) {
                mean[d] += items.get(id)[d] / 3f;
            }
        }
        assertRanking(newcomer.path("items"), bruteForce(mean, Set.of(), null, v -> ReferenceScores.dot(mean, v)), 5);

        JsonNode stranger = send(clients[1], "POST", "/items/_recommend", """
            {"field": "emb", "user": {"id": "stranger", "index": "users", "field": "emb"}, "k": 4,
             "exclude": {"seen_field": "seen"}, "filter": {"term": {"category": "b"}}, %s}""".formatted(coldStart), 200);
        assertThat(stranger.path("strategy").asText(), equalTo("fallback"));
        List<Map.Entry<String, Double>> byPopularity = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            if (category.get("i" + i).equals("b") && i != 1) {
                byPopularity.add(Map.entry("i" + i, (double) ((i * 37) % 1000)));
            }
        }
        byPopularity.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        assertRanking(stranger.path("items"), byPopularity, 4);

        // items without the fallback field sort last with -Infinity (a double beyond float's range reads as
        // infinity too): their scores stay finite, and the response valid JSON
        send(clients[0], "PUT", "/sparse", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS
            + "},\"rating\":{\"type\":\"double\"},\"stars\":{\"type\":\"integer\"},\"label\":{\"type\":\"keyword\"}}}}", 200);
        bulk(clients[0], "{\"index\":{\"_index\":\"sparse\",\"_id\":\"rated\"}}\n{\"rating\":4.5,\"stars\":-3,\"label\":\"x\"}\n"
            + "{\"index\":{\"_index\":\"sparse\",\"_id\":\"huge\"}}\n{\"rating\":1e300}\n"
            + "{\"index\":{\"_index\":\"sparse\",\"_id\":\"unrated\"}}\n{\"emb\":" + Arrays.toString(items.get("i1")) + "}\n");
        JsonNode sparse = send(clients[1], "POST", "/sparse/_recommend", """
            {"field": "emb", "user": {"id": "stranger", "index": "users", "field": "emb"}, "k": 3,
             "cold_start": {"fallback_field": "rating"}}""", 200);
        assertThat(sparse.path("strategy").asText(), equalTo("fallback"));
        List<String> order = new ArrayList<>();
        for (JsonNode item : sparse.path("items")) {
            order.add(item.path("_id").asText());
            assertTrue(item.toString(), item.path("_score").isNumber() && Double.isFinite(item.path("_score").asDouble()));
        }
        assertThat(order, equalTo(List.of("huge", "rated", "unrated")));
        assertEquals(FiniteScores.MAX, sparse.path("items").get(0).path("_score").floatValue(), 0f);
        assertEquals(-FiniteScores.MAX, sparse.path("items").get(2).path("_score").floatValue(), 0f);
        // an integer field's missing value sorts as Long.MIN_VALUE: still the documented -1e30, not -9.2e18
        JsonNode byStars = send(clients[2], "POST", "/sparse/_recommend", """
            {"field": "emb", "user": {"id": "stranger", "index": "users", "field": "emb"}, "k": 3,
             "cold_start": {"fallback_field": "stars"}}""", 200);
        assertThat(byStars.path("items").get(0).path("_id").asText(), equalTo("rated"));
        assertEquals(-3f, byStars.path("items").get(0).path("_score").floatValue(), 0f);
        assertEquals(-FiniteScores.MAX, byStars.path("items").get(2).path("_score").floatValue(), 0f);
        assertError(clients[0], "POST", "/sparse/_recommend", """
            {"field": "emb", "user": {"id": "stranger", "index": "users", "field": "emb"}, "k": 3,
             "cold_start": {"fallback_field": "label"}}""", 400,
            "[cold_start.fallback_field] field [label] must be numeric, but its values sort as text in index [sparse]");

        assertError(clients[2], "POST", "/items/_recommend", """
            {"field": "emb", "user": {"id": "stranger", "index": "users", "field": "emb"}}""", 404,
            "user [stranger] in index [users] has no vector in field [emb]; set [cold_start.history_field] or [cold_start.fallback_field]");
    }

    /**
     * {@code _recommend} runs as a cancellable task whose candidate searches are its children, and a cancelled run
     * stops before its next stage (here: before its first), reserving nothing and sending no search: the client that
     * goes away no longer leaves the node ranking for it with what it holds.
     */
    public void testACancelledRequestStopsBeforeItsNextStage() throws Exception {
        setupData();
        String node = internalCluster().getNodeNames()[0];
        org.recommender.plugin.action.recommend.RecommendRequest request = new org.recommender.plugin.action.recommend.RecommendRequest(
            new String[] { "items" });
        try (org.opensearch.core.xcontent.XContentParser parser = createParser(org.opensearch.common.xcontent.json.JsonXContent.jsonXContent,
            "{\"field\": \"emb\", \"user\": {\"vector\": " + Arrays.toString(users.get("u0")) + "}, \"k\": 5}")) {
            request.parse(parser);
        }
        org.opensearch.tasks.TaskManager tasks = internalCluster().getInstance(org.opensearch.transport.TransportService.class, node).getTaskManager();
        org.opensearch.tasks.Task task = tasks.register("transport", org.recommender.plugin.action.recommend.RecommendAction.NAME, request);
        assertTrue("a cancellable task", task instanceof org.opensearch.tasks.CancellableTask);
        org.opensearch.tasks.CancellableTask cancellable = (org.opensearch.tasks.CancellableTask) task;
        assertTrue("its searches are cancelled with it", cancellable.shouldCancelChildrenOnCancellation());
        long searchesBefore = searchRequests();
        try {
            cancellable.cancel("the client went away");
            org.opensearch.action.support.PlainActionFuture<Recommendations> answer = new org.opensearch.action.support.PlainActionFuture<>();
            internalCluster().getInstance(RecommendService.class, node)
                .recommend(cancellable, request.indices(), request.indicesOptions(), request.query(), answer);
            org.opensearch.core.tasks.TaskCancelledException cancelled = expectThrows(org.opensearch.core.tasks.TaskCancelledException.class,
                answer::actionGet);
            assertThat(cancelled.getMessage(), equalTo("_recommend was cancelled: the client went away"));
        } finally {
            tasks.unregister(task);
        }
        assertThat("no candidate search was sent", searchRequests(), equalTo(searchesBefore));
        // and an uncancelled request through the REST layer (a cancellable client) is served as before
        send(clients[0], "POST", "/items/_recommend", "{\"field\": \"emb\", \"user\": {\"vector\": " + Arrays.toString(users.get("u0"))
            + "}, \"k\": 5}", 200);
    }

    /** @return query phases every node's shards have run (the indices stats' search query totals) */
    private long searchRequests() throws IOException {
        long total = 0;
        for (JsonNode stats : send(clients[0], "GET", "/_nodes/stats/indices/search", null, 200).path("nodes")) {
            total += stats.path("indices").path("search").path("query_total").asLong();
        }
        return total;
    }

    public void testBadInputGetsAClearError() throws Exception {
        setupData();
        String user = "\"user\": {\"vector\": " + Arrays.toString(users.get("u0")) + "}";
        RestClient c = clients[0];
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"nope\", " + user + "}", 400, "[field] [nope] does not exist in the mapping of index [items]");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"category\", " + user + "}", 400, "[field] [category] is of type [keyword] in index [items] but must be of type [embedding]");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"k\": 0, " + user + "}", 400, "[k] must be at least 1 but was 0");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"k\": 5000, " + user + "}", 400, "[k] must be at most 1000 (setting [recommender.recommend.max_k])");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"diversity\": {\"mmr\": {\"lambda\": 1.5}}, " + user + "}", 400,
            "[diversity.mmr.lambda] must be between 0 and 1 but was 1.5");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"filter\": {\"no_such_query\": {}}, " + user + "}", 400,
            "[filter] is not a valid query");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"model\": \"ghost\", " + user + "}", 404, "[model] model [ghost] not found");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"user\": {\"id\": \"nobody\", \"index\": \"users\", \"field\": \"emb\"}}", 404,
            "user [nobody] not found in index [users]");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"user\": {\"vector\": [1, 2]}}", 400, "[user] vector has 2 dimensions but the items' field has 8");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"colour\": 1, " + user + "}", 400, "unknown field [colour]");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\"}", 400, "[user] or [users] is required");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"candidates\": {\"knn\": {\"num_candidates\": 3}}, \"k\": 5, " + user + "}", 400,
            "[candidates.num_candidates] must be between [k] (5) and 10000 but was 3");
        // -1 stood for "the default" inside the request and was taken as such from a body
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"candidates\": {\"knn\": {\"num_candidates\": -1}}, " + user + "}", 400,
            "[candidates.num_candidates] must be at least 1 but was -1");
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"diversity\": {\"mmr\": {\"pool\": -1}}, " + user + "}", 400,
            "[diversity.mmr.pool] must be at least 1 but was -1");
        assertError(c, "POST", "/missing/_recommend", "{\"field\": \"emb\", " + user + "}", 404, "no such index [missing]");
        // the candidate searches' own extension, whose vectors only _recommend reserves
        assertError(c, "POST", "/items/_search", "{\"size\": 100, \"ext\": {\"recommender_candidate_vectors\": {\"field\": \"emb\"}}}", 400,
            "[recommender_candidate_vectors] is internal to _recommend and cannot be set in a search request");
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i <= RecommendQuery.MAX_EXCLUDE_IDS; i++) {
            ids.append(i == 0 ? "" : ",").append("\"x").append(i).append('"');
        }
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"exclude\": {\"ids\": [" + ids + "]}, " + user + "}", 400,
            "[exclude.ids] lists more than 65536 ids but at most 65536 are allowed");
        JsonNode stats = send(c, "GET", "/_plugins/_recommender/stats", null, 200);
        long errors = 0;
        for (JsonNode node : stats.path("nodes")) {
            errors += node.path("counters").path("recommend_errors").asLong();
        }
        assertThat(errors, greaterThan(0L));
    }

    /** One status and one wording per condition, whichever surface meets it. */
    public void testTheSameConditionGetsTheSameAnswerOnEverySurface() throws Exception {
        setupData();
        String vector = Arrays.toString(users.get("u0"));
        RestClient c = clients[0];
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"model\": \"ghost\", \"user\": {\"vector\": " + vector + "}}", 404,
            "model [ghost] not found");
        assertError(c, "POST", "/items/_search", "{\"query\": {\"match_all\": {}}, \"rescore\": {\"window_size\": 10, \"recommender\": {\"field\": \"emb\", "
            + "\"model\": \"ghost\", \"user\": {\"vector\": " + vector + "}}}}", 404, "model [ghost] not found");
        // a script's model is pinned on the coordinating node before the search runs, as the rescorer's
        assertError(c, "POST", "/items/_search", "{\"query\": {\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"lang\": \"recommender\", "
            + "\"source\": \"model\", \"params\": {\"model\": \"ghost\", \"field\": \"emb\", \"vector\": " + vector + "}}}}}", 404,
            "\"root_cause\":[{\"type\":\"resource_not_found_exception\",\"reason\":\"model [ghost] not found\"}]");
        // a malformed model id is a 400 on every surface (it was one for encoders, and a 404 for scoring models)
        String invalid = "invalid model id [no/such]: use 1-128 letters, digits, '_', '-' or '.', starting with a letter or digit";
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"model\": \"no/such\", \"user\": {\"vector\": " + vector + "}}", 400,
            "[model] " + invalid);
        assertError(c, "POST", "/items/_search", "{\"query\": {\"match_all\": {}}, \"rescore\": {\"window_size\": 10, \"recommender\": {\"field\": \"emb\", "
            + "\"model\": \"no/such\", \"user\": {\"vector\": " + vector + "}}}}", 400, "[model] " + invalid);
        assertError(c, "POST", "/items/_search", "{\"query\": {\"script_score\": {\"query\": {\"match_all\": {}}, \"script\": {\"lang\": \"recommender\", "
            + "\"source\": \"model\", \"params\": {\"model\": \"no/such\", \"field\": \"emb\", \"vector\": " + vector + "}}}}}", 400,
            "[params.model] " + invalid);
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"k\": 0, \"user\": {\"vector\": " + vector + "}}", 400, "[k] must be at least 1 but was 0");
        assertError(c, "POST", "/items/_search", "{\"query\": {\"embedding_knn\": {\"field\": \"emb\", \"k\": 0, \"user\": {\"vector\": " + vector + "}}}}", 400,
            "[k] must be at least 1 but was 0");
        String noVector = "{\"id\": \"ghost-user\", \"index\": \"users\", \"field\": \"emb\"}";
        assertError(c, "POST", "/items/_recommend", "{\"field\": \"emb\", \"user\": " + noVector + "}", 404, "user [ghost-user] not found in index [users]");
        assertError(c, "POST", "/items/_search", "{\"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": " + noVector + "}}}", 404,
            "user [ghost-user] not found in index [users]");
    }

    private List<Map.Entry<String, Double>> bruteForce(float[] user, Set<String> excluded, String cat, java.util.function.ToDoubleFunction<float[]> score) {
        List<Map.Entry<String, Double>> ranked = new ArrayList<>();
        for (Map.Entry<String, float[]> e : items.entrySet()) {
            if (excluded.contains(e.getKey()) || (cat != null && category.get(e.getKey()).equals(cat) == false)) {
                continue;
            }
            ranked.add(Map.entry(e.getKey(), score.applyAsDouble(e.getValue())));
        }
        ranked.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return ranked;
    }

    private static void assertRanking(JsonNode list, List<Map.Entry<String, Double>> expected, int k) {
        assertThat(list.toString(), list.size(), equalTo(k));
        for (int r = 0; r < k; r++) {
            double score = expected.get(r).getValue();
            assertThat("rank " + r, list.get(r).path("_id").asText(), equalTo(expected.get(r).getKey()));
            assertEquals("rank " + r, score, list.get(r).path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(score)));
        }
    }

    /** MMR written out from its definition, in double precision: relevance min-max normalised, cosine similarity. */
    private List<String> mmr(List<Map.Entry<String, Double>> pool, double lambda, int k) {
        double min = pool.stream().mapToDouble(Map.Entry::getValue).min().orElseThrow();
        double max = pool.stream().mapToDouble(Map.Entry::getValue).max().orElseThrow();
        List<String> chosen = new ArrayList<>();
        Set<String> left = new java.util.LinkedHashSet<>();
        pool.forEach(e -> left.add(e.getKey()));
        Map<String, Double> relevance = new LinkedHashMap<>();
        pool.forEach(e -> relevance.put(e.getKey(), (e.getValue() - min) / (max - min)));
        while (chosen.size() < k) {
            String best = null;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (String id : left) {
                double maxSim = 0;
                if (chosen.isEmpty() == false) {
                    maxSim = Double.NEGATIVE_INFINITY;
                    for (String c : chosen) {
                        maxSim = Math.max(maxSim, ReferenceScores.rawCosine(items.get(id), items.get(c)));
                    }
                }
                double value = lambda * relevance.get(id) - (1 - lambda) * maxSim;
                if (value > bestValue) {
                    bestValue = value;
                    best = id;
                }
            }
            chosen.add(best);
            left.remove(best);
        }
        return chosen;
    }


    private static float[] randomVector(Random random) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = Math.round((random.nextFloat() * 2 - 1) * 1000) / 1000f;
        }
        return v;
    }

    private static String quoted(List<String> ids) {
        return ids.stream().map(s -> "\"" + s + "\"").toList().toString();
    }
}
