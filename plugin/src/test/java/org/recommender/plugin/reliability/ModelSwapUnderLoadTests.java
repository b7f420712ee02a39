package org.recommender.plugin.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;

/**
 * Models replaced over and over while recommendations run continuously through another node: no request may
 * fail, every response names the version it used, and every score in it is that version's score — never a mix.
 * Searches with the {@code recommender} rescorer run beside them and may not fail either: each pins the version
 * current when it starts, and a node keeps that version compiled after the next one arrives. So do
 * {@code script_score} searches, which pin on each shard.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.TEST, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class ModelSwapUnderLoadTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 8;
    private static final int ITEMS = 120;
    private static final int VERSIONS = 12;

    public void testReplacingAModelUnderLoadFailsNothingAndMixesNothing() throws Exception {
        prepareCreate("items").setSettings(Settings.builder().put("index.number_of_shards", 4).put("index.number_of_replicas", 0))
            .setMapping("{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}")
            .get();
        ensureGreen("items");
        Random random = new Random(11);
        Map<String, float[]> items = new HashMap<>();
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = random.nextFloat() * 2 - 1;
            }
            items.put("i" + i, v);
            bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"i").append(i).append("\"}}\n{\"emb\":").append(Arrays.toString(v)).append("}\n");
        }
        String[] nodes = internalCluster().getNodeNames();
        List<ScoringModel> versions = new ArrayList<>();
        versions.add(null); // versions start at 1
        try (RestClient writer = clientFor(nodes[0]); RestClient reader = clientFor(nodes[1])) {
            bulk(writer, bulk.toString());
            ModelBundle first = RandomModels.mlp(DIMS, new int[] { 16 }, 1);
            send(writer, "PUT", "/_plugins/_recommender/models/swapped", body(first), 201);
            versions.add(first.compile(KernelProvider.jvmOnly()));

            float[] user = new float[DIMS];
            Arrays.fill(user, 0.3f);
            String query = "{\"field\":\"emb\",\"k\":5,\"model\":\"swapped\",\"_source\":false,\"user\":{\"vector\":" + Arrays.toString(user)
                + "},\"candidates\":{\"knn\":{\"num_candidates\":" + ITEMS + ",\"exact\":true}}}";
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<JsonNode> responses = new ConcurrentLinkedQueue<>();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread thread = new Thread(() -> {
                    while (running.get()) {
                        try {
                            Request request = new Request("POST", "/items/_recommend");
                            request.setJsonEntity(query);
                            Response response = reader.performRequest(request);
                            responses.add(JSON.readTree(response.getEntity().getContent()));
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }, "recommend-load-" + t);
                thread.start();
                load.add(thread);
            }
            String rescored = "{\"size\":5,\"_source\":false,\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":" + ITEMS
                + ",\"recommender\":{\"field\":\"emb\",\"model\":\"swapped\",\"score_mode\":\"replace\",\"user\":{\"vector\":"
                + Arrays.toString(user) + "}}}}";
            AtomicInteger rescoredSearches = new AtomicInteger();
            load.add(searching("rescorer", reader, rescored, running, rescoredSearches, failures));
            // script_score pins once per search on the coordinating node (ScriptSearches), as the rescorer does
            String scripted = "{\"size\":5,\"_source\":false,\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},\"script\":{"
                + "\"lang\":\"recommender\",\"source\":\"model\",\"params\":{\"model\":\"swapped\",\"field\":\"emb\",\"vector\":"
                + Arrays.toString(user) + "}}}}}";
            AtomicInteger scriptedSearches = new AtomicInteger();
            load.add(searching("script_score", reader, scripted, running, scriptedSearches, failures));
            for (int v = 2; v <= VERSIONS; v++) {
                // counted progress, not a pause: every kind of search has run against the version now current
                awaitProgress(responses::size, rescoredSearches::get, scriptedSearches::get);
                ModelBundle next = RandomModels.mlp(DIMS, new int[] { 16 }, v);
                send(writer, "PUT", "/_plugins/_recommender/models/swapped", body(next), 200);
                versions.add(next.compile(KernelProvider.jvmOnly()));
            }
            awaitProgress(responses::size, rescoredSearches::get, scriptedSearches::get);
            running.set(false);
            for (Thread thread : load) {
                thread.join();
            }

            assertThat(failures.stream().limit(3).toList(), empty());
            assertThat(responses.size(), greaterThan(VERSIONS));
            assertThat(rescoredSearches.get(), greaterThan(VERSIONS));
            assertThat(scriptedSearches.get(), greaterThan(VERSIONS));
            java.util.Set<Long> seen = new java.util.TreeSet<>();
            for (JsonNode response : responses) {
                long version = response.path("model").path("version").asLong();
                assertTrue("version " + version, version >= 1 && version <= VERSIONS);
                seen.add(version);
                ScoringModel model = versions.get((int) version);
                for (JsonNode item : response.path("items")) {
                    double expected = model.score(user, items.get(item.path("_id").asText()));
                    assertEquals("version " + version + " item " + item.path("_id").asText(), expected, item.path("_score").asDouble(), 1e-5 * Math.max(1, Math.abs(expected)));
                }
            }
            assertThat("responses saw several versions: " + seen, seen.size(), greaterThan(2));
            long retries = 0;
            for (JsonNode node : send(reader, "GET", "/_plugins/_recommender/stats", null, 200).path("nodes")) {
                retries += node.path("counters").path("recommend_version_retries").asLong();
            }
            logger.info("{} recommendations served while the model was replaced {} times; {} re-run after a version change", responses.size(), VERSIONS - 1, retries);
        }
    }

    /** Starts a thread sending {@code body} to {@code /items/_search} while {@code running}; a failed shard is a failure. */
    private static Thread searching(
        String kind,
        RestClient client,
        String body,
        AtomicBoolean running,
        AtomicInteger answered,
        ConcurrentLinkedQueue<String> failures
    ) {
        Thread thread = new Thread(() -> {
            while (running.get()) {
                try {
                    Request request = new Request("POST", "/items/_search");
                    request.setJsonEntity(body);
                    JsonNode response = JSON.readTree(client.performRequest(request).getEntity().getContent());
                    if (response.path("_shards").path("failed").asInt() != 0) {
                        failures.add(kind + ": " + response.path("_shards"));
                    }
                    answered.incrementAndGet();
                } catch (Exception e) {
                    failures.add(kind + ": " + e);
                }
            }
        }, kind + "-load");
        thread.start();
        return thread;
    }

    /** Waits until each counter has grown by at least 2 (2 more searches of each kind answered) or fails. */
    @SafeVarargs
    private void awaitProgress(java.util.function.IntSupplier... counters) throws Exception {
        int[] from = new int[counters.length];
        for (int i = 0; i < counters.length; i++) {
            from[i] = counters[i].getAsInt();
        }
        assertBusy(() -> {
            for (int i = 0; i < counters.length; i++) {
                assertThat("searches of kind " + i + " answered since the last swap", counters[i].getAsInt() - from[i], greaterThan(1));
            }
        }, 60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static String body(ModelBundle bundle) {
        return "{\"bundle\":\"" + Base64.getEncoder().encodeToString(bundle.toBytes()) + "\"}";
    }
}
