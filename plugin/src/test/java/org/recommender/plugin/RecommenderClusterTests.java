package org.recommender.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.script.Script;
import org.opensearch.script.ScriptType;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;

/**
 * Several data nodes, several shards with replicas: exact {@code script_score} ranking must be the global one,
 * whichever node coordinates, and every node must report the native backend it loaded.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 3, numClientNodes = 0, supportsDedicatedMasters = false)
public class RecommenderClusterTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 16;
    private static final int DOCS = 300;



    public void testScriptScoreRankingEqualsBruteForceAcrossShardsAndNodes() throws Exception {
        prepareCreate("items").setSettings(Settings.builder().put("index.number_of_shards", 4).put("index.number_of_replicas", 1))
            .setMapping("{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}")
            .get();
        ensureGreen("items");
        Map<String, float[]> vectors = new HashMap<>();
        BulkRequestBuilder bulk = client().prepareBulk("items");
        for (int i = 0; i < DOCS; i++) {
            float[] v = new float[DIMS];
            for (int k = 0; k < DIMS; k++) {
                v[k] = (float) randomDoubleBetween(-1, 1, true);
            }
            vectors.put("i" + i, v);
            bulk.add(client().prepareIndex().setId("i" + i).setSource(Map.of("emb", v)));
        }
        assertFalse(bulk.get().hasFailures());
        refresh("items");

        for (int trial = 0; trial < 3; trial++) {
            float[] user = new float[DIMS];
            List<Object> userList = new ArrayList<>();
            for (int k = 0; k < DIMS; k++) {
                user[k] = (float) randomDoubleBetween(-1, 1, true);
                userList.add((double) user[k]);
            }
            List<Map.Entry<String, Double>> expected = new ArrayList<>();
            for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                expected.add(Map.entry(e.getKey(), ReferenceScores.dot(user, e.getValue())));
            }
            expected.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));

            int k = 20;
            Client coordinator = client(internalCluster().getNodeNames()[trial % 3]);
            SearchResponse response = coordinator.prepareSearch("items")
                .setQuery(
                    QueryBuilders.scriptScoreQuery(
                        QueryBuilders.matchAllQuery(),
                        new Script(ScriptType.INLINE, "recommender", "dot", Map.of("field", "emb", "vector", userList))
                    )
                )
                .setSize(k)
                .get();
            assertThat(response.getFailedShards(), equalTo(0));
            assertThat(response.getTotalShards(), equalTo(4));
            SearchHit[] hits = response.getHits().getHits();
            assertThat(hits.length, equalTo(k));
            for (int i = 0; i < k; i++) {
                assertThat("rank " + i, hits[i].getId(), equalTo(expected.get(i).getKey()));
                assertEquals(expected.get(i).getValue(), hits[i].getScore(), 1e-5 * Math.max(1, expected.get(i).getValue()));
            }
        }
    }

    public void testEveryNodeReportsTheNativeBackendItLoaded() throws Exception {
        ObjectMapper json = JSON;
        assertBusy(() -> {
            Response response = getRestClient().performRequest(new Request("GET", "/_plugins/_recommender/stats"));
            JsonNode body = json.readTree(response.getEntity().getContent());
            assertThat(body.path("_nodes").path("successful").asInt(), equalTo(3));
            JsonNode nodes = body.path("nodes");
            assertThat(nodes.size(), equalTo(3));
            for (JsonNode node : nodes) {
                JsonNode compute = node.path("compute");
                assertThat(compute.toString(), compute.path("status").asText(), equalTo("ready"));
                assertThat(compute.path("backend").asText(), equalTo("org.nd4j.linalg.cpu.nativecpu.CpuBackend"));
                assertThat(compute.path("device").asText(), equalTo("CPU"));
                List<String> libraries = new ArrayList<>();
                compute.path("native_libraries").forEach(l -> libraries.add(l.asText()));
                assertThat(libraries, hasItem("nd4jcpu"));
                assertTrue(compute.path("probe_max_abs_error").asDouble() < 1e-3);
                assertThat(compute.path("device_requested").asText(), equalTo("auto"));
                assertThat("no GPU backend in the default build: batches run on ND4J's CPU backend", compute.path("batch_kernel").asText(), equalTo("cpu"));
                assertFalse(compute.toString(), compute.has("fallback"));
                assertTrue(node.path("counters").has("script_searches"));
            }
        }, 60, TimeUnit.SECONDS);

        String oneNode = internalCluster().getNodeNames()[0];
        String nodeId = internalCluster().clusterService(oneNode).localNode().getId();
        Response single = getRestClient().performRequest(new Request("GET", "/_plugins/_recommender/" + nodeId + "/stats"));
        JsonNode body = json.readTree(single.getEntity().getContent());
        assertThat(body.path("nodes").size(), equalTo(1));
        assertThat(body.path("nodes").path(nodeId).path("name").asText(), equalTo(oneNode));
        assertThat(body.path("nodes").path(nodeId).path("counters").path("stats_requests").asLong(), greaterThan(0L));
    }
}
