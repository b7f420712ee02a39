package org.recommender.plugin.security;

import org.opensearch.OpenSearchSecurityException;
import org.opensearch.action.ActionRequest;
import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.core.model.ModelBundle;
import org.recommender.plugin.FirstActionFilterPlugin;
import org.recommender.plugin.RecommenderHttpIntegTestCase;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every REST surface of the plugin goes through a named transport action that an authorization layer can refuse:
 * a test plugin installs an action filter that denies chosen action names — what the security plugin does with
 * its roles — and each surface must answer 403 naming the action while it is denied, and work again after.
 * {@code _recommend}'s inner reads (user lookup, candidate search) are actions of their own, so denying the
 * search action refuses the recommendation too: no path around index permissions.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class AccessControlTests extends RecommenderHttpIntegTestCase {
    /** Action names the filter refuses. */
    static final Set<String> DENIED = ConcurrentHashMap.newKeySet();

    /** Denies every action whose name is in {@link #DENIED}, before it runs. */
    public static final class DenyingFilterPlugin extends FirstActionFilterPlugin {
        @Override
        protected boolean apply(String action, ActionRequest request, ActionListener<?> listener) {
            if (DENIED.contains(action)) {
                listener.onFailure(new OpenSearchSecurityException("no permissions for [" + action + "]", RestStatus.FORBIDDEN));
                return false;
            }
            return true;
        }
    }

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        List<Class<? extends Plugin>> plugins = new ArrayList<>(super.nodePlugins());
        plugins.add(DenyingFilterPlugin.class);
        return plugins;
    }

    public void testTheModelStoreIsWrittenOnlyThroughItsApi() throws Exception {
        String bundle = Base64.getEncoder().encodeToString(ModelBundle.dot(4).toBytes());
        try (RestClient client = clientFor(internalCluster().getNodeNames()[1])) {
            send(client, "PUT", "/_plugins/_recommender/models/guarded", "{\"bundle\":\"" + bundle + "\"}", 201);
            String refusal = "[.recommender-models] is the model store: [";
            assertError(client, "PUT", "/.recommender-models/_doc/guarded", "{\"bundle\":\"AAAA\"}", 403, refusal);
            assertError(client, "POST", "/.recommender-models/_doc", "{\"bundle\":\"AAAA\"}", 403, refusal);
            assertError(client, "POST", "/.recommender-models/_update/guarded", "{\"doc\":{\"bundle\":\"AAAA\"}}", 403, refusal);
            assertError(client, "DELETE", "/.recommender-models/_doc/guarded", null, 403, refusal);
            assertError(client, "PUT", "/.recommender-models/_mapping", "{\"properties\":{\"x\":{\"type\":\"keyword\"}}}", 403, refusal);
            Request bulk = new Request("POST", "/_bulk");
            bulk.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(
                "{\"index\":{\"_index\":\"other\",\"_id\":\"1\"}}\n{\"a\":1}\n{\"delete\":{\"_index\":\".recommender-models\",\"_id\":\"guarded\"}}\n",
                org.apache.hc.core5.http.ContentType.create("application/x-ndjson")));
            ResponseException e = expectThrows(ResponseException.class, () -> client.performRequest(bulk));
            assertEquals(403, e.getResponse().getStatusLine().getStatusCode());
            // the model is intact and the API still writes it
            JsonNode stored = send(client, "GET", "/_plugins/_recommender/models/guarded", null, 200);
            assertEquals(1, stored.path("_version").asLong());
            send(client, "PUT", "/_plugins/_recommender/models/guarded", "{\"bundle\":\"" + bundle + "\"}", 200);
            send(client, "DELETE", "/_plugins/_recommender/models/guarded", null, 200);
        }
    }

    private record Surface(String action, String method, String path, String body, int okStatus) {}

    public void testEverySurfaceCanBeRefusedByActionName() throws Exception {
        DENIED.clear();
        String bundle = Base64.getEncoder().encodeToString(ModelBundle.dot(4).toBytes());
        try (RestClient client = clientFor(internalCluster().getNodeNames()[0])) {
            send(client, "PUT", "/items", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":4}}}}", 200);
            bulk(client, "{\"index\":{\"_index\":\"items\",\"_id\":\"a\"}}\n{\"emb\":[1,0,0,0]}\n{\"index\":{\"_index\":\"items\",\"_id\":\"b\"}}\n{\"emb\":[0,1,0,0]}\n");
            send(client, "PUT", "/_plugins/_recommender/models/m", "{\"bundle\":\"" + bundle + "\"}", 201);
            String recommend = "{\"field\":\"emb\",\"user\":{\"vector\":[1,0,0,0]},\"k\":1,\"model\":\"m\"}";
            List<Surface> surfaces = List.of(
                new Surface("cluster:monitor/recommender/stats", "GET", "/_plugins/_recommender/stats", null, 200),
                new Surface("cluster:admin/recommender/model/put", "PUT", "/_plugins/_recommender/models/m", "{\"bundle\":\"" + bundle + "\"}", 200),
                new Surface("cluster:admin/recommender/model/get", "GET", "/_plugins/_recommender/models/m", null, 200),
                new Surface("cluster:admin/recommender/model/list", "GET", "/_plugins/_recommender/models", null, 200),
                new Surface("indices:data/read/recommend", "POST", "/items/_recommend", recommend, 200),
                // the inner candidate search is authorized on its own
                new Surface("indices:data/read/msearch", "POST", "/items/_recommend", recommend, 200),
                new Surface("indices:data/read/search", "POST", "/items/_search",
                    "{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"k\":1,\"user\":{\"vector\":[1,0,0,0]}}}}", 200),
                new Surface("cluster:admin/recommender/model/delete", "DELETE", "/_plugins/_recommender/models/m", null, 200)
            );
            for (Surface s : surfaces) {
                DENIED.add(s.action());
                assertError(client, s.method(), s.path(), s.body(), 403, "no permissions for [" + s.action() + "]");
                DENIED.remove(s.action());
                send(client, s.method(), s.path(), s.body(), s.okStatus());
            }
        } finally {
            DENIED.clear();
        }
    }
}
