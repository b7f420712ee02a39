package org.recommender.plugin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.recommender.plugin.ExpectedRankings;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import static org.recommender.plugin.ExpectedRankings.assertRanking;
import static org.recommender.plugin.ExpectedRankings.dot;

/**
 * Example users ({@code {"positive": [...], "negative": [...], "index", "field", "strategy": "average"}}) in the
 * built zip, installed into a real node of its own ({@link RealNode}), over HTTP: {@code _recommend},
 * {@code embedding_knn}, {@code script_score} ({@code params.user}) and the {@code recommender} rescorer each rank as a reference computed here in double
 * precision from the indexed vectors, u = 2·mean(positive) − mean(negative), scored by the field's similarity; a
 * negative changes the order; {@code _recommend} never returns the examples; and every bad example user
 * ({@link HostileInputs#exampleUsers}) gets its status and words naming the field on every surface. The
 * {@code best_score} strategy likewise, against {@link ExpectedRankings#bestScoreRanking}: {@code embedding_knn}
 * (exact, approximate, filtered), the rescorer, {@code _recommend} (knn and query candidates, in a batch, with a
 * {@code dot} model) and the 400 for a neural model.
 */
public class ExampleUsersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIMS = 8;
    private static final int ITEMS = 200;
    private static final List<String> POSITIVE = List.of("i3", "i8", "i21");
    private static final List<String> NEGATIVE = List.of("i40", "i55");
    private static final String EXAMPLES = "{\"positive\":[\"i3\",\"i8\",\"i21\"],\"negative\":[\"i40\",\"i55\"],\"index\":\"items\",\"field\":\"emb\","
        + "\"strategy\":\"average\"}";
    private static final String POSITIVE_ONLY = "{\"positive\":[\"i3\",\"i8\",\"i21\"],\"index\":\"items\",\"field\":\"emb\"}";


    private static RealNode node;
    private static final Map<String, float[]> ITEM_VECTORS = new LinkedHashMap<>();

    @BeforeClass
    public static void startNodeAndIndex() throws Exception {
        node = RealNode.fromBuild("-examples");
        HttpResponse<String> created = send("PUT", "/items", "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"similarity\":\"dot_product\"},"
            + "\"cos\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"similarity\":\"cosine\"},\"title\":{\"type\":\"keyword\"}}}}");
        assertEquals(created.body(), 200, created.statusCode());
        assertEquals(200, send("PUT", "/narrow", "{\"settings\":{\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":3}}}}").statusCode());
        Random random = new Random(7);
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
        JsonNode indexed = JSON.readTree(send("POST", "/_bulk?refresh=true", bulk.toString()).body());
        assertFalse(indexed.toString(), indexed.path("errors").asBoolean());
        assertEquals(ITEMS + 1, JSON.readTree(send("GET", "/items/_count", null).body()).path("count").asInt());
    }

    @AfterClass
    public static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    public void embeddingKnnAndScriptScoreRankAsTheFormulaOnEachSimilarity() throws Exception {
        double[] u = reference(POSITIVE, NEGATIVE);
        // the data must tell the documented u from its near misses, or matching the reference proves little
        assertNotEquals("2·mean(P) − mean(N) and mean(P) − mean(N) point apart", ids(ranking(u, Set.of(), COSINE_SCORE), 10),
            ids(ranking(minus(mean(POSITIVE), mean(NEGATIVE)), Set.of(), COSINE_SCORE), 10));
        for (String field : List.of("emb", "cos")) {
            JsonNode hits = search("{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"" + field + "\",\"k\":10,\"exact\":true,"
                + "\"user\":" + EXAMPLES + "}}}");
            assertRanking("embedding_knn on " + field, hits, ranking(u, Set.of(), field.equals("emb") ? DOT_SCORE : COSINE_SCORE), 10);
            JsonNode scripted = search("{\"size\":10,\"_source\":false,\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},\"script\":{"
                + "\"lang\":\"recommender\",\"source\":\"" + (field.equals("emb") ? "dot" : "cosine") + "\",\"params\":{\"field\":\"" + field
                + "\",\"user\":" + EXAMPLES + "}}}}}");
            assertRanking("script_score on " + field, scripted, ranking(u, Set.of(), field.equals("emb") ? DOT_SCORE : COSINE_SCORE), 10);
        }
    }

    @Test
    public void aNegativeChangesTheOrder() throws Exception {
        String knn = "{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"cos\",\"k\":10,\"exact\":true,\"user\":%s}}}";
        List<String> withNegatives = ExpectedRankings.ids(search(String.format(java.util.Locale.ROOT, knn, EXAMPLES)));
        JsonNode positiveOnly = search(String.format(java.util.Locale.ROOT, knn, POSITIVE_ONLY));
        assertNotEquals("the negatives move the user", ExpectedRankings.ids(positiveOnly), withNegatives);
        assertRanking("positives only", positiveOnly, ranking(mean(POSITIVE), Set.of(), COSINE_SCORE), 10);
    }

    @Test
    public void theRescorerScoresEveryItemInTheWindowWithTheFormula() throws Exception {
        double[] u = reference(POSITIVE, NEGATIVE);
        for (String source : List.of("dot", "cosine")) {
            JsonNode hits = search("{\"size\":" + (ITEMS + 1) + ",\"_source\":false,\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":" + (ITEMS + 1)
                + ",\"recommender\":{\"field\":\"emb\",\"source\":\"" + source + "\",\"score_mode\":\"replace\",\"user\":" + EXAMPLES + "}}}");
            assertEquals(ITEMS + 1, hits.size());
            Map<String, Double> want = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> e : ITEM_VECTORS.entrySet()) {
                // raw similarities, no transform: u·v, or cos = 2·score − 1
                want.put(e.getKey(), source.equals("dot") ? dot(u, e.getValue()) : 2 * COSINE_SCORE.applyAsDouble(u, e.getValue()) - 1);
            }
            // every item's score is the reference's; the vectorless document keeps its match_all score (1); the
            // order is the reference's, items whose references lie within float noise of each other in either order
            double previous = Double.POSITIVE_INFINITY;
            Set<String> seen = new HashSet<>();
            for (JsonNode hit : hits) {
                String id = hit.path("_id").asText();
                assertTrue(id, seen.add(id));
                double score = hit.path("_score").asDouble();
                double reference = id.equals("novec") ? 1.0 : want.get(id);
                assertEquals(source + " " + id, reference, score, 1e-5 * Math.max(1, Math.abs(reference)));
                assertTrue(source + " order at " + id + ": " + reference + " after " + previous, reference <= previous + 2e-5 * Math.max(1, Math.abs(previous)));
                previous = reference;
            }
        }
    }

    @Test
    public void recommendExcludesTheExamplesAndRanksTheRest() throws Exception {
        double[] u = reference(POSITIVE, NEGATIVE);
        Set<String> examples = new HashSet<>(POSITIVE);
        examples.addAll(NEGATIVE);
        List<Map.Entry<String, Double>> unexcluded = ranking(u, Set.of(), DOT_SCORE);
        assertTrue("an example must rank in the unexcluded top 15, or the exclusion proves nothing: " + unexcluded.subList(0, 15),
            unexcluded.subList(0, 15).stream().anyMatch(e -> examples.contains(e.getKey())));

        HttpResponse<String> one = send("POST", "/items/_recommend", "{\"field\":\"emb\",\"k\":15,\"_source\":false,"
            + "\"candidates\":{\"knn\":{\"num_candidates\":1000,\"exact\":true}},\"user\":" + EXAMPLES + "}");
        assertEquals(one.body(), 200, one.statusCode());
        JsonNode body = JSON.readTree(one.body());
        assertEquals("examples", body.path("strategy").asText());
        assertRanking("_recommend", body.path("items"), ranking(u, examples, DOT_SCORE), 15);
        for (JsonNode item : body.path("items")) {
            assertFalse(item.toString(), examples.contains(item.path("_id").asText()));
        }

        // a batch (scored on the coordinating node): each example user loses its own examples only
        HttpResponse<String> batch = send("POST", "/items/_recommend", "{\"field\":\"cos\",\"k\":15,\"_source\":false,"
            + "\"candidates\":{\"knn\":{\"num_candidates\":" + ITEMS + ",\"exact\":true}},\"users\":[" + EXAMPLES + "," + POSITIVE_ONLY + "]}");
        assertEquals(batch.body(), 200, batch.statusCode());
        JsonNode users = JSON.readTree(batch.body()).path("users");
        assertEquals(2, users.size());
        assertEquals("examples", users.get(0).path("strategy").asText());
        assertRanking("batch, with negatives", users.get(0).path("items"), ranking(u, examples, COSINE_SCORE), 15);
        assertRanking("batch, positives only", users.get(1).path("items"), ranking(mean(POSITIVE), new HashSet<>(POSITIVE), COSINE_SCORE), 15);
    }

    @Test
    public void badExampleUsersGetTheirStatusNamingTheField() throws Exception {
        List<HostileInputs.Expected> cases = new HostileInputs(20261205L, DIMS).exampleUsers(
            "items",
            new String[] { "{\"positive\":[\"novec\"],\"index\":\"items\",\"field\":\"emb\"}", "404",
                "none of the [user.positive] items has a vector in field [emb] of index [items]" },
            new String[] { "{\"positive\":[\"i1\"],\"index\":\"nowhere\",\"field\":\"emb\"}", "404",
                "example items cannot be read: index [nowhere] does not exist" },
            new String[] { "{\"positive\":[\"i1\"],\"field\":\"emb\"}", "400", "[user.positive] needs [user.index] and [user.field]" },
            new String[] { "{\"positive\":[\"n1\"],\"index\":\"narrow\",\"field\":\"emb\"}", "400", "[user] vector has 3 dimensions but" }
        );
        assertEquals(3 * 15, cases.size());
        List<String> wrong = new ArrayList<>();
        for (HostileInputs.Expected c : cases) {
            HttpResponse<String> response = send("POST", c.path(), c.body());
            JsonNode parsed = JSON.readTree(response.body());
            if (response.statusCode() != c.status() || parsed.path("status").asInt() != c.status() || response.body().contains(c.words()) == false) {
                wrong.add(c.surface() + " " + c.body() + " -> " + response.statusCode() + " " + response.body() + " (wanted " + c.status() + " " + c.words() + ")");
            }
        }
        assertTrue(wrong.size() + " of " + cases.size() + " wrong:\n" + String.join("\n", wrong), wrong.isEmpty());
        // nothing was changed by them: the good user still ranks as before
        embeddingKnnAndScriptScoreRankAsTheFormulaOnEachSimilarity();
    }

    private static final String BEST = "{\"positive\":[\"i3\",\"i8\",\"i21\"],\"negative\":[\"i40\",\"i55\"],\"index\":\"items\",\"field\":\"emb\","
        + "\"strategy\":\"best_score\"}";

    @Test
    public void bestScoreRanksAsItsDefinitionOnEverySurface() throws Exception {
        List<Map.Entry<String, Double>> byDot = bestScore(Set.of(), false);
        assertTrue("both branches in the data: " + byDot, byDot.get(0).getValue() >= 1 && byDot.get(byDot.size() - 1).getValue() <= 0.5);
        String knn = "{\"size\":10,\"_source\":false,\"query\":{\"embedding_knn\":{\"field\":\"%s\",\"k\":10,%s\"user\":%s}}}";
        assertRanking("exact", search(knn.formatted("emb", "\"exact\":true,", BEST)), byDot, 10);
        Set<String> examples = new HashSet<>(POSITIVE);
        examples.addAll(NEGATIVE);
        // by cosine every positive is its own nearest example (cos = 1): a tie of three, so the examples stay out
        String noExamples = "\"filter\":{\"bool\":{\"must_not\":{\"ids\":{\"values\":" + JSON.writeValueAsString(examples) + "}}}},";
        assertRanking("exact cosine", search(knn.formatted("cos", noExamples + "\"exact\":true,", BEST.replace("\"field\":\"emb\"", "\"field\":\"cos\""))),
            bestScore(examples, true), 10);
        assertRanking("approximate", search(knn.formatted("emb", "\"num_candidates\":" + ITEMS + ",", BEST)), byDot, 10);
        Set<String> dropped = Set.of(byDot.get(0).getKey(), byDot.get(1).getKey());
        String filter = "\"filter\":{\"bool\":{\"must_not\":{\"ids\":{\"values\":" + JSON.writeValueAsString(dropped) + "}}}},";
        assertRanking("filtered", search(knn.formatted("emb", filter + "\"num_candidates\":" + ITEMS + ",", BEST)), bestScore(dropped, false), 10);

        for (String source : List.of("dot", "cosine")) {
            JsonNode hits = search("{\"size\":10,\"_source\":false,\"query\":{\"bool\":{\"must_not\":{\"ids\":{\"values\":" + JSON.writeValueAsString(examples)
                + "}}}},\"rescore\":{\"window_size\":" + (ITEMS + 1)
                + ",\"recommender\":{\"field\":\"emb\",\"source\":\"" + source + "\",\"score_mode\":\"replace\",\"user\":" + BEST + "}}}");
            assertRanking("rescorer " + source, hits, bestScore(examples, source.equals("cosine")), 10);
        }

        List<Map.Entry<String, Double>> recommendable = bestScore(examples, false);
        for (String candidates : List.of("{\"knn\":{\"num_candidates\":" + ITEMS + "}}", "{\"knn\":{\"num_candidates\":" + ITEMS + ",\"exact\":true}}",
            "{\"query\":{\"prefix\":{\"title\":\"item\"}},\"num_candidates\":" + ITEMS + "}")) {
            JsonNode body = recommend("{\"field\":\"emb\",\"k\":15,\"_source\":false,\"candidates\":" + candidates + ",\"user\":" + BEST + "}");
            assertEquals("examples", body.path("strategy").asText());
            assertRanking("_recommend " + candidates, body.path("items"), recommendable, 15);
        }
        JsonNode batch = recommend("{\"field\":\"emb\",\"k\":15,\"_source\":false,\"candidates\":{\"knn\":{\"num_candidates\":" + ITEMS + "}},"
            + "\"users\":[" + EXAMPLES + "," + BEST + "]}");
        assertRanking("batch, average", batch.path("users").get(0).path("items"), ranking(reference(POSITIVE, NEGATIVE), examples, DOT_SCORE), 15);
        assertRanking("batch, best_score", batch.path("users").get(1).path("items"), recommendable, 15);

        // a stored dot model takes each example as its user: u·v through the dot transform, as the dot field
        upload("plain-dot", org.recommender.core.model.ModelBundle.dot(DIMS));
        assertRanking("_recommend with a dot model", recommend("{\"field\":\"emb\",\"k\":15,\"_source\":false,\"model\":\"plain-dot\","
            + "\"candidates\":{\"knn\":{\"num_candidates\":" + ITEMS + "}},\"user\":" + BEST + "}").path("items"), recommendable, 15);
        // a neural model scores one user vector: refused on both surfaces that take a model, naming it
        upload("neural", org.recommender.core.model.RandomModels.mlp(DIMS, new int[] { 8 }, 3));
        String refused = "[user.strategy] [best_score] compares items with each example by a similarity, but [model] [neural] is a [mlp] model";
        for (String[] request : List.of(
            new String[] { "/items/_recommend", "{\"field\":\"emb\",\"model\":\"neural\",\"user\":" + BEST + "}" },
            new String[] { "/items/_search", "{\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":10,\"recommender\":{\"field\":\"emb\","
                + "\"model\":\"neural\",\"user\":" + BEST + "}}}" })) {
            HttpResponse<String> response = send("POST", request[0], request[1]);
            assertEquals(response.body(), 400, response.statusCode());
            assertTrue(response.body(), response.body().contains(refused));
        }
        HttpResponse<String> narrow = send("POST", "/items/_search", "{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"user\":"
            + "{\"positive\":[\"n1\"],\"index\":\"narrow\",\"field\":\"emb\",\"strategy\":\"best_score\"}}}}");
        assertEquals(narrow.body(), 400, narrow.statusCode());
        assertTrue(narrow.body(), narrow.body().contains("[user] example vectors have 3 dimensions but field [emb] has 8"));
    }

    private static List<Map.Entry<String, Double>> bestScore(Set<String> excluded, boolean cosine) {
        return ExpectedRankings.bestScoreRanking(ITEM_VECTORS, POSITIVE, NEGATIVE, excluded, cosine);
    }

    private static JsonNode recommend(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/items/_recommend", body);
        assertEquals(body + " -> " + response.body(), 200, response.statusCode());
        return JSON.readTree(response.body());
    }

    private static void upload(String id, org.recommender.core.model.ModelBundle bundle) throws Exception {
        HttpResponse<String> put = send("PUT", "/_plugins/_recommender/models/" + id,
            "{\"bundle\":\"" + java.util.Base64.getEncoder().encodeToString(bundle.toBytes()) + "\"}");
        assertTrue(put.body(), put.statusCode() == 200 || put.statusCode() == 201);
    }

    /** u = 2·mean(positive) − mean(negative) (or mean(positive)), in double, from the indexed floats. */
    private static double[] reference(List<String> positive, List<String> negative) {
        double[] p = mean(positive);
        if (negative.isEmpty()) {
            return p;
        }
        double[] u = new double[DIMS];
        double[] n = mean(negative);
        for (int d = 0; d < DIMS; d++) {
            u[d] = 2 * p[d] - n[d];
        }
        return u;
    }

    private static double[] minus(double[] a, double[] b) {
        double[] out = new double[DIMS];
        for (int d = 0; d < DIMS; d++) {
            out[d] = a[d] - b[d];
        }
        return out;
    }

    private static double[] mean(List<String> ids) {
        double[] mean = new double[DIMS];
        for (String id : ids) {
            for (int d = 0; d < DIMS; d++) {
                mean[d] += ITEM_VECTORS.get(id)[d] / (double) ids.size();
            }
        }
        return mean;
    }

    private static List<String> ids(List<Map.Entry<String, Double>> ranked, int k) {
        return ranked.subList(0, k).stream().map(Map.Entry::getKey).toList();
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
