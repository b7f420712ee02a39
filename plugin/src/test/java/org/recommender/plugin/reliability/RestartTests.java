package org.recommender.plugin.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.client.RestClient;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.plugin.RecommenderHttpIntegTestCase;
import org.recommender.plugin.store.ModelStoreService;

import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * Restarts and node loss: models survive a full-cluster restart and serve identical scores; with replicas, losing
 * a node keeps recommendations answering the same; a node that joins compiles the model on its first request.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.TEST, numDataNodes = 3, numClientNodes = 0, supportsDedicatedMasters = false)
public class RestartTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 8;
    /** Exact candidates over all 150 items, scored by the stored model [durable]. */
    private static final String REQUEST = "{\"field\":\"emb\",\"k\":10,\"model\":\"durable\",\"_source\":false,"
        + "\"user\":{\"vector\":[0.5,-0.2,0.1,0.9,-0.4,0.3,0.2,-0.7]},\"candidates\":{\"knn\":{\"num_candidates\":200,\"exact\":true}}}";

    /** Creates [items] (3 shards, 1 replica) and returns the bulk body of 150 seeded vectors for it. */
    private String createItems(long seed) {
        prepareCreate("items").setSettings(Settings.builder().put("index.number_of_shards", 3).put("index.number_of_replicas", 1))
            .setMapping("{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}")
            .get();
        ensureGreen("items");
        Random random = new Random(seed);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = random.nextFloat() * 2 - 1;
            }
            bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"i").append(i).append("\"}}\n{\"emb\":").append(Arrays.toString(v)).append("}\n");
        }
        return bulk.toString();
    }

    public void testModelsAndScoresSurviveRestartsNodeLossAndRejoin() throws Exception {
        String bulk = createItems(3);
        JsonNode before;
        try (RestClient client = clientFor(internalCluster().getNodeNames()[0])) {
            bulk(client, bulk);
            String bundle = Base64.getEncoder().encodeToString(RandomModels.neumf(DIMS, new int[] { 16, 8 }, 5).toBytes());
            send(client, "PUT", "/_plugins/_recommender/models/durable", "{\"bundle\":\"" + bundle + "\"}", 201);
            before = send(client, "POST", "/items/_recommend", REQUEST, 200);
        }
        assertThat(before.path("items").size(), equalTo(10));

        internalCluster().fullRestart();
        ensureGreen("items");
        for (String node : internalCluster().getNodeNames()) {
            try (RestClient client = clientFor(node)) {
                JsonNode after = send(client, "POST", "/items/_recommend", REQUEST, 200);
                assertThat("after a full restart, via " + node, after.path("items"), equalTo(before.path("items")));
                assertThat(after.path("model").path("version").asLong(), equalTo(1L));
            }
        }

        // the store's copies must have caught up before a node may go: a copy still recovering cannot take over from
        // the one started copy (as in the test below); seed 40E1B4D6E8F1A141 lost the store's started copy here
        ensureGreen(ModelStoreService.INDEX);
        internalCluster().stopRandomDataNode();
        ensureYellow("items");
        for (String node : internalCluster().getNodeNames()) {
            try (RestClient client = clientFor(node)) {
                assertThat("with a node lost, via " + node, send(client, "POST", "/items/_recommend", REQUEST, 200).path("items"), equalTo(before.path("items")));
            }
        }

        String joined = internalCluster().startDataOnlyNode();
        ensureGreen("items");
        try (RestClient client = clientFor(joined)) {
            assertThat("via the node that joined", send(client, "POST", "/items/_recommend", REQUEST, 200).path("items"), equalTo(before.path("items")));
            String joinedId = internalCluster().clusterService(joined).localNode().getId();
            JsonNode stats = send(client, "GET", "/_plugins/_recommender/" + joinedId + "/stats", null, 200);
            assertThat("the joined node compiled the model for its request",
                stats.path("nodes").path(joinedId).path("counters").path("models_cached").asLong(), greaterThan(0L));
        }
    }

    public void testLosingANodeUnderLoadFailsNoRecommendation() throws Exception {
        String bulk = createItems(4);
        String survivor = internalCluster().getNodeNames()[0];
        try (RestClient client = clientFor(survivor)) {
            bulk(client, bulk);
            String bundle = Base64.getEncoder().encodeToString(RandomModels.mlp(DIMS, new int[] { 16 }, 6).toBytes());
            send(client, "PUT", "/_plugins/_recommender/models/durable", "{\"bundle\":\"" + bundle + "\"}", 201);
            // the store expands to a copy per node; a node may only be lost once those copies have caught up (losing
            // the one started copy of a just-created store would lose the model, whatever the retries)
            ensureGreen(ModelStoreService.INDEX);
            JsonNode expected = send(client, "POST", "/items/_recommend", REQUEST, 200).path("items");
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.ConcurrentLinkedQueue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();
            java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
            Thread load = new Thread(() -> {
                while (running.get()) {
                    try {
                        org.opensearch.client.Request r = new org.opensearch.client.Request("POST", "/items/_recommend");
                        r.setJsonEntity(REQUEST);
                        JsonNode items = JSON.readTree(client.performRequest(r).getEntity().getContent()).path("items");
                        if (items.equals(expected) == false) {
                            problems.add("different answer: " + items);
                        }
                        served.incrementAndGet();
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }
            }, "recommend-load");
            load.start();
            // counted progress, not pauses: recommendations are flowing before the node stops, and 20 more are
            // answered after it left (a node that hung them would fail the wait, not pass it)
            assertBusy(() -> assertThat(served.get(), greaterThan(5)), 60, java.util.concurrent.TimeUnit.SECONDS);
            internalCluster().stopRandomNode(settings -> survivor.equals(settings.get("node.name")) == false);
            int atStop = served.get();
            assertBusy(() -> assertThat(served.get() - atStop, greaterThan(20)), 60, java.util.concurrent.TimeUnit.SECONDS);
            running.set(false);
            load.join();
            assertThat(problems.stream().limit(3).toList(), org.hamcrest.Matchers.empty());
            assertThat(served.get(), greaterThan(10));
            logger.info("{} recommendations served while a node was stopped, none failed", served.get());
        }
    }
}
