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
 * The reads of user lookups, on two nodes: more distinct history items than one read takes
 * ({@link UserLookup#READ_CHUNK}) are read chunk by chunk — from an {@code embedding} field's Lucene values and from
 * plain arrays in {@code _source} alike — and make the same user as the mean computed here in double precision; what
 * the reads hold (item vectors, stored user documents, and {@code _recommend}'s items' sources) goes through the
 * plugin's {@code recommender} breaker (429 naming it on every surface that takes a user) and is released once the
 * request is answered, as are the exclusions {@code _recommend} makes of seen lists; and one search's lookups, however many clauses carry them, stay within one request's budget.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class HistoryReadsTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 4;
    /** Two full reads and part of a third. */
    private static final int HISTORY = 2 * UserLookup.READ_CHUNK + 52;
    private static final int ITEMS = HISTORY + 150;

    private final Map<String, float[]> items = new LinkedHashMap<>();
    private RestClient[] clients;

    /** Every read of history items ({@code ItemVectorsAction}) sent through any node since the last reset. */
    static final java.util.concurrent.atomic.AtomicInteger ITEM_READS = new java.util.concurrent.atomic.AtomicInteger();

    /** Every multi-get (user documents, sources) sent through any node since the last reset. */
    static final java.util.concurrent.atomic.AtomicInteger MULTI_GETS = new java.util.concurrent.atomic.AtomicInteger();

    /** Counts the reads of history items and the multi-gets, passing every request on. */
    public static final class ItemReadsPlugin extends org.recommender.plugin.FirstActionFilterPlugin {
        @Override
        protected boolean apply(String action, org.opensearch.action.ActionRequest request, org.opensearch.core.action.ActionListener<?> listener) {
            if (action.equals(org.recommender.plugin.action.vectors.ItemVectorsAction.NAME)) {
                ITEM_READS.incrementAndGet();
            }
            if (action.equals(org.opensearch.action.get.MultiGetAction.NAME)) {
                MULTI_GETS.incrementAndGet();
            }
            return true;
        }
    }

    @Override
    protected java.util.Collection<Class<? extends org.opensearch.plugins.Plugin>> nodePlugins() {
        List<Class<? extends org.opensearch.plugins.Plugin>> plugins = new ArrayList<>(super.nodePlugins());
        plugins.add(ItemReadsPlugin.class);
        return plugins;
    }

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
        withRecommenderBreakerLimit(clients[0], "1b", () -> {
            for (String surface : surfaces) {
                String[] parts = surface.split("\\|", 2);
                for (String index : List.of("items", "plain")) {
                    for (RestClient client : clients) {
                        assertError(client, "POST", parts[0], parts[1].formatted(history(index)), 429,
                            "[recommender] Data too large, data for [" + UserLookup.HELD + "]");
                    }
                }
            }
        });
        for (String surface : surfaces) {
            String[] parts = surface.split("\\|", 2);
            send(clients[1], "POST", parts[0], parts[1].formatted(history("plain")), 200);
        }
        assertBusy(() -> assertThat("every reservation was released", clusterBreakerBytes(clients[0], "recommender"), equalTo(held)));
    }

    /**
     * A stored user's document is read whole for the fields the lookup asks for (a long {@code seen} list rides along
     * on {@code _recommend}): what it holds is reserved like item reads, so a stored user alone — no item read — is
     * refused past the limit, and served with the limit back.
     */
    public void testStoredUserDocumentsGoThroughTheBreaker() throws Exception {
        setupData();
        send(clients[0], "PUT", "/users", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}}", 200);
        List<String> seen = new ArrayList<>(items.keySet()).subList(0, 500);
        send(clients[0], "PUT", "/users/_doc/u1?refresh=true", JSON.writeValueAsString(Map.of("emb", items.get("i7"), "seen", seen)), 201);
        String user = "{\"id\": \"u1\", \"index\": \"users\", \"field\": \"emb\"}";
        String knn = "{\"query\": {\"embedding_knn\": {\"field\": \"emb\", \"user\": " + user + ", \"exact\": true}}}";
        String recommend = "{\"field\": \"emb\", \"user\": " + user + ", \"k\": 10, \"_source\": false, \"exclude\": {\"seen_field\": \"seen\"}}";
        for (RestClient client : clients) {
            send(client, "POST", "/items/_search", knn, 200); // every node answers once, so its breaker is warm
        }
        long held = clusterBreakerBytes(clients[0], "recommender");
        withRecommenderBreakerLimit(clients[0], "1b", () -> {
            for (RestClient client : clients) {
                assertError(client, "POST", "/items/_search", knn, 429, "[recommender] Data too large, data for [" + UserLookup.HELD + "]");
                assertError(client, "POST", "/items/_recommend", recommend, 429, "[recommender] Data too large, data for [" + UserLookup.HELD + "]");
            }
        });
        JsonNode recommended = send(clients[1], "POST", "/items/_recommend", recommend, 200);
        for (JsonNode item : recommended.path("items")) {
            assertThat("seen items are excluded", seen.contains(item.path("_id").asText()), equalTo(false));
        }
        assertBusy(() -> assertThat("every reservation was released", clusterBreakerBytes(clients[0], "recommender"), equalTo(held)));
    }

    /**
     * {@code _recommend} returns users × k items' {@code _source}: what those hold is reserved as each read arrives and
     * held until the response is sent. A limit that lets the lookup, the candidates and the ranking through refuses
     * the sources (the same request without sources is served), and the whole reservation is released after.
     */
    public void testRecommendedItemsSourcesGoThroughTheBreaker() throws Exception {
        clients = clientPerNode();
        send(clients[0], "PUT", "/docs", "{\"settings\":{\"number_of_shards\":2},"
            + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},\"text\":{\"type\":\"keyword\",\"index\":false,\"doc_values\":false}}}}", 200);
        StringBuilder bulk = new StringBuilder();
        String text = "x".repeat(50_000); // 10 sources of 50 KB: 2 MB reserved at 4× the JSON
        for (int i = 0; i < 20; i++) {
            bulk.append("{\"index\":{\"_index\":\"docs\",\"_id\":\"d").append(i).append("\"}}\n")
                .append(JSON.writeValueAsString(Map.of("emb", new float[] { i, 1, 0, 0 }, "text", text))).append('\n');
        }
        bulk(clients[0], bulk.toString());
        String withSources = "{\"field\": \"emb\", \"user\": {\"vector\": [1, 0, 0, 0]}, \"k\": 10}";
        String without = "{\"field\": \"emb\", \"user\": {\"vector\": [1, 0, 0, 0]}, \"k\": 10, \"_source\": false}";
        JsonNode served = send(clients[0], "POST", "/docs/_recommend", withSources, 200);
        assertThat(served.path("items").get(0).path("_source").path("text").asText().length(), equalTo(text.length()));
        send(clients[1], "POST", "/docs/_recommend", withSources, 200);
        long held = clusterBreakerBytes(clients[0], "recommender");
        // room for everything but the sources, on both nodes (each node's own models and caches are below it)
        String limit = (held / 2 + 1_000_000) + "b";
        withRecommenderBreakerLimit(clients[0], limit, () -> {
            for (RestClient client : clients) {
                send(client, "POST", "/docs/_recommend", without, 200);
                assertError(client, "POST", "/docs/_recommend", withSources, 429, "[recommender] Data too large, data for [_recommend items' _source]");
            }
        });
        assertBusy(() -> assertThat("every reservation was released", clusterBreakerBytes(clients[0], "recommender"), equalTo(held)));
    }

    /**
     * A user's excluded items (its document's {@code seen} list, the request's {@code exclude.ids}) outlive the lookup
     * that read them: they go into every candidate search and the final check. They are reserved before they are
     * gathered and held until the response is sent, so a limit that lets the lookup of a long seen list through (4×
     * its JSON) refuses the exclusions it makes, while a user without the list is served under the same limit.
     */
    public void testExclusionsAreHeldUntilTheResponse() throws Exception {
        clients = clientPerNode();
        send(clients[0], "PUT", "/excl", "{\"settings\":{\"number_of_shards\":2},"
            + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}}", 200);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            bulk.append("{\"index\":{\"_index\":\"excl\",\"_id\":\"e").append(i).append("\"}}\n")
                .append(JSON.writeValueAsString(Map.of("emb", new float[] { i, 1, 0, 0 }))).append('\n');
        }
        bulk(clients[0], bulk.toString());
        send(clients[0], "PUT", "/excl-users", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}}", 200);
        List<String> seen = new ArrayList<>(List.of("e29", "e28"));
        for (int i = 0; i < 20_000; i++) {
            seen.add(String.format(java.util.Locale.ROOT, "s%05d", i)); // 20,000 ids of 6 characters: ~180 KB of JSON, ~3 MB held
        }
        send(clients[0], "PUT", "/excl-users/_doc/long?refresh=true", JSON.writeValueAsString(Map.of("emb", new float[] { 1, 0, 0, 0 }, "seen", seen)), 201);
        send(clients[0], "PUT", "/excl-users/_doc/short?refresh=true", JSON.writeValueAsString(Map.of("emb", new float[] { 1, 0, 0, 0 }, "seen", List.of("e29"))), 201);
        String template = "{\"field\": \"emb\", \"user\": {\"id\": \"%s\", \"index\": \"excl-users\", \"field\": \"emb\"}, \"k\": 5, "
            + "\"_source\": false, \"exclude\": {\"seen_field\": \"seen\"}}";
        String longSeen = String.format(java.util.Locale.ROOT, template, "long");
        String shortSeen = String.format(java.util.Locale.ROOT, template, "short");
        for (RestClient client : clients) { // every node answers once, so its breaker is warm
            assertThat(send(client, "POST", "/excl/_recommend", longSeen, 200).path("items").get(0).path("_id").asText(), equalTo("e27"));
            assertThat(send(client, "POST", "/excl/_recommend", shortSeen, 200).path("items").get(0).path("_id").asText(), equalTo("e28"));
        }
        long held = clusterBreakerBytes(clients[0], "recommender");
        // room for the lookup of the long list (4 × ~180 KB) and everything else, not for its exclusions (~3 MB)
        String limit = (held / 2 + 1_500_000) + "b";
        withRecommenderBreakerLimit(clients[0], limit, () -> {
            for (RestClient client : clients) {
                send(client, "POST", "/excl/_recommend", shortSeen, 200);
                assertError(client, "POST", "/excl/_recommend", longSeen, 429, "[recommender] Data too large, data for [" + "_recommend users' excluded items" + "]");
            }
        });
        assertBusy(() -> assertThat("every reservation was released", clusterBreakerBytes(clients[0], "recommender"), equalTo(held)));
    }

    /**
     * {@code embedding_knn} and the rescorer look each user spec up during the search's rewrite: one search of many
     * such clauses is held to one request's budget — 1,024 users and 100,000 history items over all of them, shared
     * between the query and the rescorers — refused (400 naming the clause) before any lookup is sent.
     */
    public void testOneSearchsLookupsShareOneBudget() throws Exception {
        clients = clientPerNode();
        send(clients[0], "PUT", "/items", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}}", 200);
        String stored = "{\"id\": \"u\", \"index\": \"users\", \"field\": \"emb\"}";
        String oneKnn = "{\"embedding_knn\": {\"field\": \"emb\", \"user\": " + stored + "}}";
        String max = String.valueOf(UserServices.MAX_USERS_PER_SEARCH);
        String tooMany = "{\"query\": {\"bool\": {\"should\": [" + String.join(",", java.util.Collections.nCopies(UserServices.MAX_USERS_PER_SEARCH + 1, oneKnn)) + "]}}}";
        assertError(clients[0], "POST", "/items/_search", tooMany, 400, "[embedding_knn] [user]: one search may look up at most " + max + " users");
        // the limit to the query alone, and one rescorer more: the rescorer's lookup is the one too many
        String atTheLimit = "{\"query\": {\"bool\": {\"should\": [" + String.join(",", java.util.Collections.nCopies(UserServices.MAX_USERS_PER_SEARCH, oneKnn))
            + "]}}, \"rescore\": {\"window_size\": 10, \"recommender\": {\"field\": \"emb\", \"user\": " + stored + "}}}";
        assertError(clients[1], "POST", "/items/_search", atTheLimit, 400, "[recommender] rescorer [user]: one search may look up at most " + max + " users");
        // two histories that each fit one lookup but not one search together
        int half = UserLookup.MAX_HISTORY_READS / 2 + 1;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < half; i++) {
            ids.add("h" + i);
        }
        String history = "{\"embedding_knn\": {\"field\": \"emb\", \"user\": {\"history\": " + JSON.writeValueAsString(ids)
            + ", \"index\": \"items\", \"field\": \"emb\"}}}";
        assertError(clients[0], "POST", "/items/_search", "{\"query\": {\"bool\": {\"should\": [" + history + ", " + history + "]}}}", 400,
            "[embedding_knn] [user]: one search may read at most " + UserLookup.MAX_HISTORY_READS
                + " history and example items (distinct items per user, over all its users), but this one asks for " + (2 * half));
        // example users count their positives and negatives alike (distinct ids over both lists)
        int part = half / 2 + 1;
        String examples = "{\"embedding_knn\": {\"field\": \"emb\", \"user\": {\"positive\": " + JSON.writeValueAsString(ids.subList(0, part))
            + ", \"negative\": " + JSON.writeValueAsString(ids.subList(part, half)) + ", \"index\": \"items\", \"field\": \"emb\"}}}";
        assertError(clients[1], "POST", "/items/_search", "{\"query\": {\"bool\": {\"should\": [" + examples + ", " + history + "]}}}", 400,
            "but this one asks for " + (2 * half));
        // one of them alone is read (its items are missing: the lookup ran, and says so)
        assertError(clients[0], "POST", "/items/_search", "{\"query\": " + history + "}", 404, "none of the [user.history] items has a vector");
    }

    /**
     * A search's stored users are read together: 30 {@code embedding_knn} clauses and a rescorer, each naming a
     * stored user, make one multi-get (30 + 1 before, all sent at once into the node's get pool; at the limit of
     * 1,024 users a search could queue 1,024). Each clause still scores with its own user: the hits and scores (each
     * clause boosted differently) equal the same search with the users' vectors given inline.
     */
    public void testASearchsStoredUsersAreReadInOneMultiGet() throws Exception {
        setupData();
        Random random = new Random(5);
        StringBuilder bulk = new StringBuilder();
        List<float[]> vectors = new ArrayList<>();
        for (int u = 0; u < 30; u++) {
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = Math.round((random.nextFloat() * 2 - 1) * 1000) / 1000f;
            }
            vectors.add(v);
            bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"u").append(u).append("\"}}\n").append(JSON.writeValueAsString(Map.of("emb", v))).append('\n');
        }
        bulk(clients[0], bulk.toString());
        List<String> stored = new ArrayList<>();
        List<String> inline = new ArrayList<>();
        for (int u = 0; u < 30; u++) {
            // a boost of its own per clause: users handed to the wrong clauses would change the sums
            String clause = "{\"embedding_knn\": {\"field\": \"emb\", \"k\": 5, \"exact\": true, \"boost\": " + (u + 1) + ", \"user\": %s}}";
            stored.add(String.format(java.util.Locale.ROOT, clause, "{\"id\": \"u" + u + "\", \"index\": \"users\", \"field\": \"emb\"}"));
            inline.add(String.format(java.util.Locale.ROOT, clause, "{\"vector\": " + JSON.writeValueAsString(vectors.get(u)) + "}"));
        }
        String search = "{\"size\": 40, \"query\": {\"bool\": {\"should\": [%s]}}, \"rescore\": {\"window_size\": 40, \"recommender\": "
            + "{\"field\": \"emb\", \"user\": %s}}}";
        MULTI_GETS.set(0);
        JsonNode byId = send(clients[1], "POST", "/items/_search", String.format(java.util.Locale.ROOT, search, String.join(",", stored),
            "{\"id\": \"u0\", \"index\": \"users\", \"field\": \"emb\"}"), 200);
        assertThat("one read of every stored user of the search", MULTI_GETS.get(), equalTo(1));
        JsonNode byVector = send(clients[0], "POST", "/items/_search", String.format(java.util.Locale.ROOT, search, String.join(",", inline),
            "{\"vector\": " + JSON.writeValueAsString(vectors.get(0)) + "}"), 200);
        JsonNode hits = byId.path("hits").path("hits");
        assertThat(hits.size(), equalTo(40));
        for (int i = 0; i < hits.size(); i++) {
            JsonNode expected = byVector.path("hits").path("hits").get(i);
            assertThat(hits.get(i).path("_id").asText(), equalTo(expected.path("_id").asText()));
            assertThat(hits.get(i).path("_score").asDouble(), equalTo(expected.path("_score").asDouble()));
        }
    }

    /**
     * {@code _recommend}'s filter (and candidate query) goes into every user's candidate search; a lookup it holds is
     * made once per request, not once per user: 4 users of a batch and a history in the filter read the history once
     * (4 times before: a 1 MB body could make 100 × 100,000 reads).
     */
    public void testARecommendFiltersLookupRunsOncePerRequest() throws Exception {
        setupData();
        String filter = "{\"embedding_knn\": {\"field\": \"emb\", \"k\": 200, \"exact\": true, \"user\": "
            + "{\"history\": [\"i1\", \"i2\", \"i3\"], \"index\": \"items\", \"field\": \"emb\"}}}";
        StringBuilder users = new StringBuilder();
        for (int u = 0; u < 4; u++) {
            users.append(u == 0 ? "" : ",").append("{\"vector\": ").append(JSON.writeValueAsString(items.get("i" + (10 + u)))).append("}");
        }
        ITEM_READS.set(0);
        JsonNode batch = send(clients[1], "POST", "/items/_recommend", "{\"field\": \"emb\", \"k\": 5, \"_source\": false, \"filter\": " + filter
            + ", \"users\": [" + users + "]}", 200);
        assertThat(batch.path("users").size(), equalTo(4));
        for (JsonNode user : batch.path("users")) {
            assertThat(user.path("items").size(), equalTo(5));
        }
        assertThat("one read of the filter's history for the whole batch", ITEM_READS.get(), equalTo(1));
    }
}
