package org.recommender.plugin.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.opensearch.action.support.WriteRequest;
import org.opensearch.client.Request;
import org.opensearch.client.RestClient;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.client.Client;
import org.recommender.core.model.ModelBundle;
import org.recommender.plugin.RecommenderHttpIntegTestCase;
import org.recommender.plugin.TestClusterWipe;

import java.util.Base64;

/**
 * Every way around the model store API that the store-safety review found, and the ones beside them, on two nodes
 * (each request through the node that is not the cluster manager, so refusals hold where requests are forwarded):
 * each is refused with 403 naming the store, read-only monitoring still works, and the models are intact after.
 * Without {@link ModelStoreGuard} each of these requests succeeds.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.TEST, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class ModelStoreGuardTests extends RecommenderHttpIntegTestCase {
    private static final String MODELS = "/_plugins/_recommender/models/";
    private static final String REFUSED = "[.recommender-models] is the model store";

    private String notManager() {
        String manager = internalCluster().getClusterManagerName();
        for (String node : internalCluster().getNodeNames()) {
            if (node.equals(manager) == false) {
                return node;
            }
        }
        throw new AssertionError("one node only");
    }

    public void testEveryPathAroundTheStoreIsRefused() throws Exception {
        TestClusterWipe.DELETES_ALLOWED.set(false);
        try {
            everyPathAroundTheStoreIsRefused();
        } finally {
            TestClusterWipe.DELETES_ALLOWED.set(true);
        }
    }

    private void everyPathAroundTheStoreIsRefused() throws Exception {
        String bundle = Base64.getEncoder().encodeToString(ModelBundle.dot(4).toBytes());
        try (RestClient client = clientFor(notManager())) {
            // before the store exists: it cannot be made by hand, nor shaped by a template or an alias
            assertError(client, "PUT", "/.recommender-models", "{\"mappings\":{\"properties\":{\"x\":{\"type\":\"keyword\"}}}}", 403, REFUSED);
            assertError(client, "PUT", "/decoy", "{\"aliases\":{\".recommender-models\":{}}}", 403, REFUSED);
            assertError(client, "PUT", "/_index_template/shaper", "{\"index_patterns\":[\".recommender-*\"],\"template\":{\"aliases\":{\"mstore\":{}}}}", 403, REFUSED);
            assertError(client, "PUT", "/_template/legacy", "{\"index_patterns\":[\".rec*\"],\"settings\":{\"number_of_shards\":3}}", 403, REFUSED);
            assertError(client, "PUT", "/_component_template/parts", "{\"template\":{\"aliases\":{\".recommender-models\":{}}}}", 403, REFUSED);
            // a catch-all template is no threat (OpenSearch applies none to a hidden index) and stays allowed
            send(client, "PUT", "/_index_template/everything", "{\"index_patterns\":[\"*\"],\"priority\":0,\"template\":{\"settings\":{\"number_of_replicas\":0}}}", 200);
            send(client, "PUT", MODELS + "m", "{\"bundle\":\"" + bundle + "\"}", 201);
            send(client, "PUT", "/other", "{}", 200);

            // aliases: onto the store, or with the store's name onto another index
            assertError(client, "POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\".recommender-models\",\"alias\":\"mstore\"}}]}", 403, REFUSED);
            assertError(client, "POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"other\",\"alias\":\".recommender-models\"}}]}", 403, REFUSED);
            assertError(client, "POST", "/_aliases", "{\"actions\":[{\"remove_index\":{\"index\":\".recommender-models\"}}]}", 403, REFUSED);
            assertError(client, "PUT", "/.recommender-models/_alias/mstore", null, 403, REFUSED);
            // writes, by name and through a wildcard that reaches hidden indices
            assertError(client, "PUT", "/.recommender-models/_doc/evil", "{\"model_id\":\"evil\"}", 403, REFUSED);
            assertError(client, "PUT", "/.recommender-*/_settings?expand_wildcards=all", "{\"index.number_of_replicas\":0}", 403, REFUSED);
            // index administration
            assertError(client, "DELETE", "/.recommender-models", null, 403, REFUSED);
            assertError(client, "DELETE", "/*?expand_wildcards=all", null, 403, REFUSED);
            assertError(client, "POST", "/.recommender-models/_close", null, 403, REFUSED);
            assertError(client, "PUT", "/.recommender-models/_settings", "{\"index.blocks.write\":true}", 403, REFUSED);
            assertError(client, "PUT", "/.recommender-models/_block/write", null, 403, REFUSED);
            assertError(client, "POST", "/.recommender-models/_clone/copy", null, 403, REFUSED);
            // direct reads of bundles, by name and through wildcards that reach hidden indices
            assertError(client, "GET", "/.recommender-models/_doc/m", null, 403, REFUSED);
            assertError(client, "GET", "/.recommender-models/_search", null, 403, REFUSED);
            // the shard list a cross-cluster search without minimised round trips asks for, before it sends its query
            // and fetch phases straight to the shards (no action filter sees those)
            assertError(client, "GET", "/.recommender-models/_search_shards", null, 403, REFUSED);
            assertError(client, "GET", "/*/_search?expand_wildcards=all", null, 403, REFUSED);
            assertError(client, "POST", "/_mget", "{\"docs\":[{\"_index\":\".recommender-models\",\"_id\":\"m\"}]}", 403, REFUSED);
            Request msearch = new Request("POST", "/_msearch");
            msearch.setEntity(new StringEntity("{\"index\":\".recommender-models\"}\n{\"query\":{\"match_all\":{}}}\n", ContentType.create("application/x-ndjson")));
            JsonNode item = JSON.readTree(client.performRequest(msearch).getEntity().getContent()).path("responses").get(0);
            assertEquals(item.toString(), 403, item.path("status").asInt());
            assertTrue(item.toString(), item.toString().contains(REFUSED));

            // what reads no bundle and changes nothing still works, and plain searches never see the store
            send(client, "GET", "/_cat/indices?expand_wildcards=all&format=json", null, 200);
            send(client, "GET", "/.recommender-models/_mapping", null, 200);
            send(client, "GET", "/_cluster/health/.recommender-models", null, 200);
            send(client, "GET", "/_search", null, 200);
            send(client, "GET", "/.recommender-models/_stats", null, 200);

            // the model is intact and the API still reads and writes it
            assertEquals(1, send(client, "GET", MODELS + "m", null, 200).path("_version").asLong());
            send(client, "PUT", MODELS + "m", "{\"bundle\":\"" + bundle + "\"}", 200);
            assertEquals(1, send(client, "GET", "/_plugins/_recommender/models", null, 200).path("models").size());
        }
    }

    public void testADocumentThatIsNotAModelFailsOnlyItsOwnRequests() throws Exception {
        String bundle = Base64.getEncoder().encodeToString(ModelBundle.dot(4).toBytes());
        try (RestClient client = clientFor(notManager())) {
            send(client, "PUT", MODELS + "good", "{\"bundle\":\"" + bundle + "\"}", 201);
            // what a snapshot restored from elsewhere, or a store made before this build guarded it, can hold
            Client node = internalCluster().client(notManager());
            ThreadContext context = node.threadPool().getThreadContext();
            try (ThreadContext.StoredContext ignored = context.stashContext()) {
                context.putHeader(StoreAccess.HEADER, "true");
                node.prepareIndex(ModelStoreService.INDEX).setId("evil").setSource("{\"model_id\":\"evil\"}", org.opensearch.common.xcontent.XContentType.JSON)
                    .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)
                    .get();
            }
            JsonNode listed = send(client, "GET", "/_plugins/_recommender/models", null, 200);
            assertEquals(listed.toString(), 1, listed.path("models").size());
            assertEquals("good", listed.path("models").get(0).path("_id").asText());
            assertError(client, "GET", MODELS + "evil", null, 409, "model [evil] in the store is not a valid stored model");
            send(client, "GET", MODELS + "good", null, 200);
            send(client, "PUT", "/items", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":4}}}}", 200);
            bulk(client, "{\"index\":{\"_index\":\"items\",\"_id\":\"a\"}}\n{\"emb\":[1,0,0,0]}\n");
            send(client, "POST", "/items/_recommend", "{\"field\":\"emb\",\"k\":1,\"model\":\"good\",\"user\":{\"vector\":[1,0,0,0]}}", 200);
            assertError(client, "POST", "/items/_recommend", "{\"field\":\"emb\",\"k\":1,\"model\":\"evil\",\"user\":{\"vector\":[1,0,0,0]}}", 409,
                "model [evil] in the store is not a valid stored model");
            send(client, "DELETE", MODELS + "evil", null, 200);
        }
    }
}
