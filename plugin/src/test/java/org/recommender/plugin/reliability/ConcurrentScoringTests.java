package org.recommender.plugin.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.client.Request;
import org.opensearch.client.RestClient;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.plugin.RecommenderHttpIntegTestCase;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/**
 * Scorers, per-thread scratch buffers, ND4J workspaces and the model cache under parallel requests: many client
 * threads send a mix of {@code _recommend} (shard-scored single users, coordinator-scored batches) and rescored
 * searches at once, and every answer must equal the one the same request got alone — and the batches' answers an
 * independent reference.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.TEST, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class ConcurrentScoringTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 16;
    private static final int ITEMS = 400;
    private static final int THREADS = 8;
    private static final int ROUNDS = 25;

    public void testParallelRequestsGetTheAnswersTheyGetAlone() throws Exception {
        prepareCreate("items").setSettings(Settings.builder().put("index.number_of_shards", 3).put("index.number_of_replicas", 0))
            .setMapping("{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},\"title\":{\"type\":\"text\"}}}")
            .get();
        ensureGreen("items");
        Random random = new Random(5);
        StringBuilder bulk = new StringBuilder();
        float[][] items = new float[ITEMS][];
        for (int i = 0; i < ITEMS; i++) {
            items[i] = vector(random);
            bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"i").append(i).append("\"}}\n{\"emb\":").append(Arrays.toString(items[i]));
            bulk.append(",\"title\":\"").append(i % 2 == 0 ? "red shoe" : "blue shoe").append("\"}\n");
        }
        try (RestClient client = clientFor(internalCluster().getNodeNames()[0])) {
            bulk(client, bulk.toString());
            String neumf = Base64.getEncoder().encodeToString(RandomModels.neumf(DIMS, new int[] { 32, 16 }, 3).toBytes());
            String mlp = Base64.getEncoder().encodeToString(RandomModels.mlp(DIMS, new int[] { 24 }, 4).toBytes());
            send(client, "PUT", "/_plugins/_recommender/models/neumf", "{\"bundle\":\"" + neumf + "\"}", 201);
            send(client, "PUT", "/_plugins/_recommender/models/mlp", "{\"bundle\":\"" + mlp + "\"}", 201);

            Map<String, ScoringModel> reference = Map.of(
                "neumf", RandomModels.neumf(DIMS, new int[] { 32, 16 }, 3).compile(KernelProvider.jvmOnly()),
                "mlp", RandomModels.mlp(DIMS, new int[] { 24 }, 4).compile(KernelProvider.jvmOnly())
            );
            Map<Integer, float[][]> batchUsers = new java.util.HashMap<>();
            Map<Integer, String> batchModel = new java.util.HashMap<>();
            List<String[]> requests = new ArrayList<>(); // method path body
            for (int u = 0; u < 6; u++) {
                float[] userVector = vector(random);
                String user = "{\"vector\":" + Arrays.toString(userVector) + "}";
                String model = u % 2 == 0 ? "neumf" : "mlp";
                requests.add(new String[] { "/items/_recommend", "{\"field\":\"emb\",\"k\":10,\"model\":\"" + model + "\",\"_source\":false,\"user\":" + user
                    + ",\"candidates\":{\"knn\":{\"num_candidates\":150}},\"diversity\":{\"mmr\":{\"lambda\":0.8}}}" });
                // every item a candidate (400 per shard), so the answer is the model's top 10 over the whole index
                float[] second = vector(random);
                batchUsers.put(requests.size(), new float[][] { userVector, second });
                batchModel.put(requests.size(), model);
                requests.add(new String[] { "/items/_recommend", "{\"field\":\"emb\",\"k\":10,\"model\":\"" + model + "\",\"_source\":false,\"users\":[" + user
                    + ",{\"vector\":" + Arrays.toString(second) + "}],\"candidates\":{\"knn\":{\"num_candidates\":" + ITEMS + ",\"exact\":true}}}" });
                requests.add(new String[] { "/items/_search", "{\"size\":10,\"_source\":false,\"query\":{\"match\":{\"title\":\"red\"}},"
                    + "\"rescore\":{\"window_size\":150,\"recommender\":{\"user\":" + user + ",\"field\":\"emb\",\"model\":\"" + model + "\"}}}" });
            }
            List<List<String>> alone = new ArrayList<>();
            for (String[] r : requests) {
                alone.add(answer(client, r));
            }
            // equal answers could be equally wrong: the batches, scored on the coordinating node, must also equal the
            // Java scalar kernel (itself proven against core's double-precision ReferenceModel) over every item
            for (Map.Entry<Integer, float[][]> batch : batchUsers.entrySet()) {
                List<String> got = alone.get(batch.getKey());
                int at = 0;
                for (float[] user : batch.getValue()) {
                    ScoringModel model = reference.get(batchModel.get(batch.getKey()));
                    List<Integer> order = new ArrayList<>();
                    double[] scores = new double[ITEMS];
                    for (int i = 0; i < ITEMS; i++) {
                        order.add(i);
                        scores[i] = model.score(user, items[i]);
                    }
                    order.sort((x, y) -> Double.compare(scores[y], scores[x]));
                    for (int r = 0; r < 10; r++, at++) {
                        String[] idAndScore = got.get(at).split("=");
                        String where = batchModel.get(batch.getKey()) + " batch rank " + r + ": " + got;
                        assertEquals(where, "i" + order.get(r), idAndScore[0]);
                        // float32 kernels against the scalar one: equal to rounding
                        double expected = scores[order.get(r)];
                        assertEquals(where, expected, Double.parseDouble(idAndScore[1]), 1e-5 * Math.max(1, Math.abs(expected)));
                    }
                    assertEquals("|", got.get(at++));
                }
            }

            ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    Random order = new Random(seed);
                    for (int round = 0; round < ROUNDS; round++) {
                        int i = order.nextInt(requests.size());
                        try {
                            List<String> got = answer(client, requests.get(i));
                            if (got.equals(alone.get(i)) == false) {
                                mismatches.add("request " + i + ": " + got + " != " + alone.get(i));
                            }
                        } catch (Exception e) {
                            mismatches.add("request " + i + " failed: " + e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            assertThat(mismatches.stream().limit(3).toList(), empty());
            assertThat("10 items and the list end", alone.get(0).size(), equalTo(11));
        }
    }

    /** The ids and scores of a response, in order (scores to 6 significant digits). */
    private static List<String> answer(RestClient client, String[] request) throws Exception {
        Request r = new Request("POST", request[0]);
        r.setJsonEntity(request[1]);
        JsonNode body = JSON.readTree(client.performRequest(r).getEntity().getContent());
        List<String> out = new ArrayList<>();
        List<JsonNode> lists = new ArrayList<>();
        if (body.has("hits")) {
            lists.add(body.path("hits").path("hits"));
        } else if (body.has("users")) {
            body.path("users").forEach(u -> lists.add(u.path("items")));
        } else {
            lists.add(body.path("items"));
        }
        for (JsonNode list : lists) {
            for (JsonNode hit : list) {
                out.add(hit.path("_id").asText() + "=" + String.format(java.util.Locale.ROOT, "%.6g", hit.path("_score").asDouble()));
            }
            out.add("|");
        }
        return out;
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = random.nextFloat() * 2 - 1;
        }
        return v;
    }
}
