package org.recommender.plugin.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.get.GetAction;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.support.PlainActionFuture;
import org.opensearch.client.RestClient;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.plugin.FirstActionFilterPlugin;
import org.recommender.plugin.RecommenderHttpIntegTestCase;
import org.recommender.plugin.action.model.PutModelAction;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.hamcrest.Matchers.equalTo;

/**
 * The model store over HTTP on a two-node cluster: create, new versions, reads through the other node, bad
 * uploads that leave the stored model untouched, size limit, delete, list, each node's compiled-model cache
 * following a change made through the other node, and the replaced version the store keeps for requests pinned to it.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.TEST, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class ModelStoreTests extends RecommenderHttpIntegTestCase {
    private static final String MODELS = "/_plugins/_recommender/models/";

    /** Every get of a model document sent through any node of the cluster since the last clear. */
    static final Queue<GetRequest> STORE_GETS = new ConcurrentLinkedQueue<>();

    /** Records the gets of model documents (what a pin reads), passing every request on. */
    public static final class StoreGetsPlugin extends FirstActionFilterPlugin {
        @Override
        protected boolean apply(String action, ActionRequest request, ActionListener<?> listener) {
            if (action.equals(GetAction.NAME) && request instanceof GetRequest get && get.index().equals(ModelStoreService.INDEX)) {
                STORE_GETS.add(get);
            }
            return true;
        }
    }

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        List<Class<? extends Plugin>> plugins = new java.util.ArrayList<>(super.nodePlugins());
        plugins.add(StoreGetsPlugin.class);
        return plugins;
    }



    public void testAModelOverTheMemoryLimitTripsTheBreakerAndStoresNothing() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        try (RestClient a = clientFor(nodes[0]); RestClient b = clientFor(nodes[1])) {
            ModelBundle small = RandomModels.mlp(8, new int[] { 8 }, 1);
            send(a, "PUT", MODELS + "guarded-size", body(small, "small"), 201);
            send(a, "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.model.memory_limit\":\"50kb\"}}", 200);
            try {
                ModelBundle big = RandomModels.mlp(64, new int[] { 256, 64 }, 2); // ~260 kB of weights
                assertError(b, "PUT", MODELS + "guarded-size", body(big, "big"), 429,
                    "model [guarded-size] needs ");
                assertError(b, "PUT", MODELS + "guarded-size", body(big, "big"), 429,
                    "more than [recommender.model.memory_limit] = 50kb; nothing was stored");
                JsonNode read = send(a, "GET", MODELS + "guarded-size", null, 200);
                assertThat(read.path("_version").asLong(), equalTo(1L));
                assertThat(read.path("checksum").asText(), equalTo(small.checksum()));
                long trips = 0;
                for (JsonNode node : send(a, "GET", "/_plugins/_recommender/stats", null, 200).path("nodes")) {
                    trips += node.path("counters").path("model_memory_breaker_trips").asLong();
                }
                assertThat(trips, equalTo(2L));
            } finally {
                send(a, "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.model.memory_limit\":null}}", 200);
            }
        }
    }

    /**
     * A model that compiles larger than a node's cache would be evicted as soon as it was cached there, and read and
     * compiled again for every request: that node refuses it (upload and load alike), naming its cache setting,
     * while a node whose cache holds it serves it.
     */
    public void testAModelLargerThanANodesCacheIsRefusedThereNotRecompiledPerRequest() throws Exception {
        String small = internalCluster().startNode(Settings.builder().put(ModelCache.CACHE_SIZE.getKey(), "50kb"));
        String[] nodes = internalCluster().getNodeNames();
        String large = nodes[0].equals(small) ? nodes[1] : nodes[0];
        ModelBundle big = RandomModels.mlp(64, new int[] { 256, 64 }, 2); // ~260 kB of weights
        try (RestClient a = clientFor(large); RestClient c = clientFor(small)) {
            assertError(c, "PUT", MODELS + "wide", body(big, null), 429,
                "more than [recommender.model.cache.size] = 50kb of this node (it could never stay compiled");
            send(a, "PUT", MODELS + "wide", body(big, null), 201);
            ModelStoreService storeC = internalCluster().getInstance(ModelStoreService.class, small);
            OpenSearchStatusException refused = expectThrows(OpenSearchStatusException.class, () -> compiled(storeC, "wide"));
            assertThat(refused.status(), equalTo(RestStatus.TOO_MANY_REQUESTS));
            assertThat(refused.getMessage(), org.hamcrest.Matchers.containsString("[recommender.model.cache.size] = 50kb"));
            assertThat(compiled(internalCluster().getInstance(ModelStoreService.class, large), "wide").checksum(), equalTo(big.checksum()));
        }
    }

    /**
     * A delete drops the model's compiled copies on every node before it answers, with their bytes in each node's
     * breaker; before, the nodes that had not run the delete kept them until their cache evicted them.
     */
    public void testADeleteDropsTheCompiledModelOnEveryNode() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        try (RestClient a = clientFor(nodes[0]); RestClient b = clientFor(nodes[1])) {
            send(a, "PUT", MODELS + "gone", body(RandomModels.mlp(16, new int[] { 64 }, 4), null), 201);
            compiled(internalCluster().getInstance(ModelStoreService.class, nodes[1]), "gone");
            ModelCache cacheB = internalCluster().getInstance(ModelCache.class, nodes[1]);
            assertThat(cacheB.count(), equalTo(1));
            assertBusy(() -> assertThat(breakerBytes(b, nodes[1]), equalTo(cacheB.weightBytes())));
            send(a, "DELETE", MODELS + "gone", null, 200);
            assertThat("dropped on the node that did not run the delete", cacheB.count(), equalTo(0));
            assertThat(cacheB.weightBytes(), equalTo(0L));
            assertBusy(() -> assertThat(breakerBytes(b, nodes[1]), equalTo(0L)));
            assertError(b, "DELETE", MODELS + "gone", null, 404, "gone");
        }
    }

    /** The plugin's child breaker holds what the cache holds, and refuses an upload that does not fit before storing it. */
    public void testTheRecommenderBreakerAccountsTheCacheAndRefusesWhatDoesNotFit() throws Exception {
        String node = internalCluster().getNodeNames()[0];
        try (RestClient a = clientFor(node)) {
            ModelBundle model = RandomModels.mlp(16, new int[] { 256, 64 }, 7);
            long compiled = model.compile().memoryBytes(); // what the node's compile of it holds (same JVM, same kernels)
            assertThat(breakerBytes(a, node), equalTo(0L));
            send(a, "PUT", MODELS + "accounted", body(model, null), 201);
            // the node that took the upload caches the compiled model; every reservation of the upload is released
            // (right after the response is sent: hence assertBusy)
            assertBusy(() -> assertThat(breakerBytes(a, node), equalTo(compiled)));
            send(a, "DELETE", MODELS + "accounted", null, 200);
            assertBusy(() -> assertThat(breakerBytes(a, node), equalTo(0L)));

            // sent as chunks the body (~310 kB) fits 800 kB, parsing it (3 × ~233 kB) does not; sent as one string it
            // is held ~5 times over while it is read (the parser's buffer, the string, the decoded copies), reserved
            // as such first: 800 kB refuses it there; 64 kB refuses any body
            send(a, "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":\"800kb\"}}", 200);
            assertError(a, "PUT", MODELS + "accounted", bodyInChunks(model), 429, "[recommender] Data too large, data for [parse model [accounted]]");
            assertError(a, "PUT", MODELS + "accounted", body(model, null), 429,
                "[recommender] Data too large, data for [decode the upload of model [accounted]]");
            send(a, "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":\"64kb\"}}", 200);
            try {
                assertError(a, "PUT", MODELS + "accounted", body(model, null), 429,
                    "[recommender] Data too large, data for [decode the upload of model [accounted]]");
                assertError(a, "GET", MODELS + "accounted", null, 404, "model [accounted] not found");
                JsonNode breaker = send(a, "GET", "/_nodes/" + node + "/stats/breaker", null, 200).path("nodes").elements().next()
                    .path("breakers").path("recommender");
                assertThat(breaker.toString(), breaker.path("tripped").asLong() >= 1, equalTo(true));
                assertThat(breaker.path("limit_size_in_bytes").asLong(), equalTo(64L * 1024));
            } finally {
                send(a, "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":null}}", 200);
            }
            send(a, "PUT", MODELS + "accounted", body(model, null), 201);
            assertBusy(() -> assertThat(breakerBytes(a, node), equalTo(compiled)));
        }
    }

    /**
     * Listing the models holds a page of their sources without bundles or metadata (descriptions are at most 16,384
     * characters): what the list builds from them is reserved first, so a page the breaker cannot hold is a 429 naming
     * it, and the reservation is returned with the answer. An upload refused for a parameter it does not read holds
     * nothing.
     */
    public void testListingTheModelsIsReservedAndARefusedUploadHoldsNothing() throws Exception {
        String node = internalCluster().getNodeNames()[0];
        try (RestClient a = clientFor(node)) {
            String description = "d".repeat(PutModelAction.MAX_DESCRIPTION_CHARS);
            for (int i = 0; i < 12; i++) {
                send(a, "PUT", MODELS + "described-" + i, body(ModelBundle.dot(8), description), 201);
            }
            long[] settled = { -1 };
            assertBusy(() -> { // the upload's reservations go right after its response: two reads alike
                long now = breakerBytes(a, node);
                boolean same = now == settled[0];
                settled[0] = now;
                assertTrue("the breaker settles after the upload", same);
            });
            long held = settled[0];
            send(a, "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":\"400kb\"}}", 200);
            try {
                // three copies of twelve ~16 kB sources do not fit 400 kB; a page of two does
                assertError(a, "GET", "/_plugins/_recommender/models", null, 429, "[recommender] Data too large, data for [list models]");
                assertThat(send(a, "GET", "/_plugins/_recommender/models?size=2", null, 200).path("models").size(), equalTo(2));
            } finally {
                send(a, "PUT", "/_cluster/settings", "{\"transient\":{\"breaker.recommender.limit\":null}}", 200);
            }
            JsonNode listed = send(a, "GET", "/_plugins/_recommender/models", null, 200);
            assertThat(listed.path("models").get(0).path("description").asText(), equalTo(description));
            assertBusy(() -> assertThat("the list's reservation was returned", breakerBytes(a, node), equalTo(held)));

            // a parameter the upload does not read is a 400 from OpenSearch, which then never runs the handler's
            // consumer: what the upload reserves is reserved there, so nothing stays held (it leaked for good before)
            for (int i = 0; i < 3; i++) {
                assertError(a, "PUT", MODELS + "described?timeout=30s", body(ModelBundle.dot(8), description), 400, "unrecognized parameter: [timeout]");
            }
            assertError(a, "PUT", MODELS + "described", body(ModelBundle.dot(8), description + "d"), 400,
                "[description] must be at most 16384 characters but has 16385");
            assertBusy(() -> assertThat("a refused upload holds nothing", breakerBytes(a, node), equalTo(held)));
        }
    }

    /**
     * The list comes a page at a time, by id, with the number of models; each page leaves out the bundles and the
     * header's metadata (up to 1 MiB a model), which GET shows; a page past the limits is a 400 naming the parameter.
     */
    public void testTheModelListPagesByIdWithoutMetadata() throws Exception {
        try (RestClient a = clientFor(internalCluster().getNodeNames()[0])) {
            for (String id : new String[] { "m3", "m1", "m4", "m2", "m0" }) {
                send(a, "PUT", MODELS + id, body(RandomModels.mlp(8, new int[] { 8 }, id.hashCode()), "model " + id), 201);
            }
            JsonNode page = send(a, "GET", "/_plugins/_recommender/models?from=1&size=3", null, 200);
            assertThat(page.path("total").asLong(), equalTo(5L));
            List<String> ids = new java.util.ArrayList<>();
            for (JsonNode model : page.path("models")) {
                ids.add(model.path("_id").asText());
                assertThat(model.toString(), model.has("metadata"), equalTo(false));
                assertThat(model.path("description").asText(), equalTo("model " + model.path("_id").asText()));
            }
            assertThat(ids, equalTo(List.of("m1", "m2", "m3")));
            assertThat(send(a, "GET", "/_plugins/_recommender/models?from=4", null, 200).path("models").size(), equalTo(1));
            assertThat(send(a, "GET", MODELS + "m2", null, 200).has("metadata"), equalTo(true));
            assertError(a, "GET", "/_plugins/_recommender/models?size=1001", null, 400, "[size] must be between 0 and 1000 but was 1001");
            assertError(a, "GET", "/_plugins/_recommender/models?from=9500&size=600", null, 400, "[from] + [size] must be at most 10000");
            assertError(a, "GET", "/_plugins/_recommender/models?from=-1", null, 400, "[from] must be at least 0");
            assertError(a, "GET", "/_plugins/_recommender/models?size=many", null, 400, "size");
        }
    }

    /**
     * Requests that miss a node's cache at once wait for one load of the model: each read the stored bundle (tens of MB
     * of base64 at the size limit) and compiled it itself, n copies of which the cache kept one.
     */
    public void testConcurrentMissesShareOneLoad() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        try (RestClient a = clientFor(nodes[0]); RestClient b = clientFor(nodes[1])) {
            vectorIndex(a, "shared", 1, 16, 20);
            // uploaded through a: cached there; b has to load it from the store
            send(a, "PUT", MODELS + "wide", body(RandomModels.mlp(16, new int[] { 512, 256 }, 3), null), 201);
            long before = modelLoads(b, nodes[1]);
            String rescore = "{\"size\":5,\"query\":{\"match_all\":{}},\"rescore\":{\"window_size\":20,\"recommender\":{"
                + "\"user\":{\"vector\":[1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]},\"field\":\"emb\",\"model\":\"wide\"}}}";
            int requests = 12;
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(requests);
            java.util.List<Object> outcomes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            for (int i = 0; i < requests; i++) {
                org.opensearch.client.Request search = new org.opensearch.client.Request("POST", "/shared/_search");
                search.setJsonEntity(rescore);
                b.performRequestAsync(search, new org.opensearch.client.ResponseListener() {
                    @Override
                    public void onSuccess(org.opensearch.client.Response response) {
                        outcomes.add(response.getStatusLine().getStatusCode());
                        done.countDown();
                    }

                    @Override
                    public void onFailure(Exception e) {
                        outcomes.add(e);
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(60, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(outcomes.toString(), outcomes, equalTo(java.util.Collections.nCopies(requests, (Object) 200)));
            assertThat("one load for every request that missed", modelLoads(b, nodes[1]) - before, equalTo(1L));
        }
    }

    /**
     * A request that joins another request's load of a model goes on in its own thread context (its user, its
     * headers): the load ends on the first request's thread, and the waiter's search went on as that request.
     */
    public void testARequestThatJoinsALoadKeepsItsOwnContext() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        ModelBundle model = RandomModels.mlp(16, new int[] { 512, 256 }, 5);
        try (RestClient a = clientFor(nodes[0])) {
            send(a, "PUT", MODELS + "joined", body(model, null), 201); // compiled on a; b loads it
        }
        ModelStoreService storeB = internalCluster().getInstance(ModelStoreService.class, nodes[1]);
        ModelCache cacheB = internalCluster().getInstance(ModelCache.class, nodes[1]);
        org.opensearch.common.util.concurrent.ThreadContext context = internalCluster().getInstance(
            org.opensearch.threadpool.ThreadPool.class, nodes[1]).getThreadContext();
        ModelPin pin = new ModelPin("joined", 1, model.checksum());
        long misses = cacheB.misses();
        PlainActionFuture<String> first = PlainActionFuture.newFuture();
        PlainActionFuture<String> second = PlainActionFuture.newFuture();
        try (org.opensearch.common.util.concurrent.ThreadContext.StoredContext ignored = context.stashContext()) {
            context.putHeader("X-Opaque-Id", "first");
            storeB.compiledAt(pin, ActionListener.map(first, entry -> context.getHeader("X-Opaque-Id")));
        }
        try (org.opensearch.common.util.concurrent.ThreadContext.StoredContext ignored = context.stashContext()) {
            context.putHeader("X-Opaque-Id", "second");
            storeB.compiledAt(pin, ActionListener.map(second, entry -> context.getHeader("X-Opaque-Id")));
        }
        assertThat(first.actionGet(), equalTo("first"));
        assertThat(second.actionGet(), equalTo("second"));
        assertThat("both missed: the second joined the first's load", cacheB.misses() - misses, equalTo(2L));
        assertThat(cacheB.loads(), equalTo(1L));
    }

    /** Creates {@code index} with an {@code emb} field of {@code dims} and {@code docs} documents d0… of small integer vectors. */
    private static void vectorIndex(RestClient client, String index, int shards, int dims, int docs) throws IOException {
        send(client, "PUT", "/" + index, "{\"settings\":{\"number_of_shards\":" + shards + ",\"number_of_replicas\":0},"
            + "\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + dims + "}}}}", 200);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < docs; i++) {
            bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"d").append(i).append("\"}}\n{\"emb\":[");
            for (int d = 0; d < dims; d++) {
                bulk.append(d == 0 ? "" : ",").append((i * 7 + d) % 5 - 2);
            }
            bulk.append("]}\n");
        }
        bulk(client, bulk.toString());
    }

    private static long modelLoads(RestClient client, String node) throws IOException {
        for (JsonNode stats : send(client, "GET", "/_plugins/_recommender/stats", null, 200).path("nodes")) {
            if (stats.path("name").asText().equals(node)) {
                return stats.path("counters").path("model_loads").asLong(-1);
            }
        }
        throw new AssertionError("no stats of node [" + node + "]");
    }

    /** One base64 string longer than the JSON layer reads is 413 saying to send chunks (500 before). */
    public void testABundleStringLongerThanJsonReadsIs413NamingChunks() throws Exception {
        try (RestClient a = clientFor(internalCluster().getNodeNames()[0])) {
            StringBuilder huge = new StringBuilder(50_000_020).append("{\"bundle\":\"");
            for (int i = 0; i < 12_500_001; i++) {
                huge.append("AAAA");
            }
            String body = huge.append("\"}").toString();
            huge = null;
            assertError(a, "PUT", MODELS + "huge", body, 413, "send a bundle of more than 1 MiB as an array of base64 chunks");
            assertError(a, "GET", MODELS + "huge", null, 404, "model [huge] not found");
        }
    }

    private static long breakerBytes(RestClient client, String node) throws IOException {
        return send(client, "GET", "/_nodes/" + node + "/stats/breaker", null, 200).path("nodes").elements().next()
            .path("breakers").path("recommender").path("estimated_size_in_bytes").asLong(-1);
    }

    public void testVersionsBadUploadsAndReadsThroughEitherNode() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        try (RestClient a = clientFor(nodes[0]); RestClient b = clientFor(nodes[1])) {
            ModelBundle v1 = RandomModels.mlp(8, new int[] { 16, 8 }, 1);
            JsonNode created = send(a, "PUT", MODELS + "ranker", body(v1, "first"), 201);
            assertThat(created.path("_version").asLong(), equalTo(1L));
            assertThat(created.path("result").asText(), equalTo("created"));
            assertThat(created.path("model").path("type").asText(), equalTo("mlp"));
            assertThat(created.path("model").path("checksum").asText(), equalTo(v1.checksum()));

            ModelBundle v2 = RandomModels.mlp(8, new int[] { 16, 8 }, 2);
            JsonNode updated = send(b, "PUT", MODELS + "ranker", body(v2, "second"), 200);
            assertThat(updated.path("_version").asLong(), equalTo(2L));
            assertThat(updated.path("result").asText(), equalTo("updated"));

            JsonNode read = send(a, "GET", MODELS + "ranker", null, 200);
            assertThat(read.path("_version").asLong(), equalTo(2L));
            assertThat(read.path("checksum").asText(), equalTo(v2.checksum()));
            assertThat(read.path("description").asText(), equalTo("second"));
            assertFalse("bundle bytes only on request", read.has("bundle"));
            JsonNode withBundle = send(b, "GET", MODELS + "ranker?include_bundle=true", null, 200);
            assertTrue(Arrays.equals(v2.toBytes(), Base64.getDecoder().decode(withBundle.path("bundle").asText())));

            byte[] truncated = Arrays.copyOf(v2.toBytes(), v2.toBytes().length - 7);
            assertError(a, "PUT", MODELS + "ranker", "{\"bundle\":\"" + Base64.getEncoder().encodeToString(truncated) + "\"}", 400,
                "[bundle] of model [ranker] is invalid");
            byte[] flipped = v1.toBytes();
            flipped[flipped.length / 2] ^= 0x40;
            assertError(a, "PUT", MODELS + "ranker", "{\"bundle\":\"" + Base64.getEncoder().encodeToString(flipped) + "\"}", 400,
                "[bundle] of model [ranker] is invalid");
            assertError(a, "PUT", MODELS + "ranker", "{\"bundle\":\"%%%not-base64\"}", 400, "[bundle] is not valid base64");
            assertError(a, "PUT", MODELS + "ranker", "{\"description\":\"x\"}", 400, "[bundle] is required");
            assertError(a, "PUT", MODELS + "ranker", "{\"bundle\":\"AAAA\",\"weights\":[1]}", 400, "unknown field [weights]");
            assertError(a, "PUT", MODELS + "bad%20id!", body(v1, null), 400, "invalid model id [bad id!]");

            JsonNode afterBadUploads = send(b, "GET", MODELS + "ranker", null, 200);
            assertThat("a bad upload never replaces a good model", afterBadUploads.path("_version").asLong(), equalTo(2L));
            assertThat(afterBadUploads.path("checksum").asText(), equalTo(v2.checksum()));

            send(a, "PUT", MODELS + "baseline", body(ModelBundle.dot(8), null), 201);
            JsonNode list = send(b, "GET", "/_plugins/_recommender/models", null, 200);
            assertThat(list.path("total").asInt(), equalTo(2));
            assertThat(list.path("models").get(0).path("_id").asText(), equalTo("baseline"));
            assertThat(list.path("models").get(1).path("_id").asText(), equalTo("ranker"));

            send(b, "DELETE", MODELS + "baseline", null, 200);
            assertError(a, "GET", MODELS + "baseline", null, 404, "model [baseline] not found");
            assertError(a, "DELETE", MODELS + "baseline", null, 404, "model [baseline] not found");
            assertError(a, "GET", MODELS + "never-stored", null, 404, "model [never-stored] not found");
        }
    }

    public void testUploadsOverTheSizeLimitGet413AndChangeNothing() throws Exception {
        try (RestClient a = clientFor(internalCluster().getNodeNames()[0])) {
            ModelBundle small = ModelBundle.dot(4);
            send(a, "PUT", MODELS + "m", body(small, null), 201);
            send(a, "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.model.max_size\":\"2kb\"}}", 200);
            ModelBundle big = RandomModels.mlp(32, new int[] { 64, 32 }, 3);
            assertTrue(big.sizeInBytes() > 2048);
            assertError(a, "PUT", MODELS + "m", body(big, null), 413, "larger than [recommender.model.max_size]");
            assertThat(send(a, "GET", MODELS + "m", null, 200).path("checksum").asText(), equalTo(small.checksum()));
            send(a, "PUT", "/_cluster/settings", "{\"persistent\":{\"recommender.model.max_size\":null}}", 200);
            send(a, "PUT", MODELS + "m", body(big, null), 200);
        }
    }

    public void testEveryNodeCompilesTheNewVersionOnItsNextRequest() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        ModelStoreService storeA = internalCluster().getInstance(ModelStoreService.class, nodes[0]);
        ModelStoreService storeB = internalCluster().getInstance(ModelStoreService.class, nodes[1]);
        try (RestClient a = clientFor(nodes[0])) {
            ModelBundle v1 = RandomModels.mlp(8, new int[] { 8 }, 10);
            send(a, "PUT", MODELS + "live", body(v1, null), 201);
            assertThat(compiled(storeB, "live").checksum(), equalTo(v1.checksum()));
            assertThat(compiled(storeB, "live").version(), equalTo(1L)); // second call: served from B's cache

            ModelBundle v2 = RandomModels.mlp(8, new int[] { 8 }, 11);
            send(a, "PUT", MODELS + "live", body(v2, null), 200);
            ModelCache.Entry onB = compiled(storeB, "live");
            assertThat(onB.version(), equalTo(2L));
            assertThat(onB.checksum(), equalTo(v2.checksum()));
            float[] user = new float[8];
            float[] item = new float[8];
            Arrays.fill(user, 0.5f);
            Arrays.fill(item, -0.25f);
            assertEquals(v2.compile().score(user, item), onB.model().score(user, item), 0f);
            assertThat(compiled(storeA, "live").version(), equalTo(2L));

            ModelCache cacheB = internalCluster().getInstance(ModelCache.class, nodes[1]);
            assertTrue(cacheB.hits() >= 1);
            assertThat(cacheB.count(), equalTo(1));
        }
    }

    /**
     * A pin reads the model's checksum once per document state on a node; later pins of that state read only the
     * document's state, no {@code _source} (whose filtering costs as much as the bundle is long). Any write — a new
     * version, a delete and an upload again of the same version — is a state the node has not read, so the checksum
     * is read again and the new bundle served.
     */
    public void testAPinLoadsTheModelSourceOncePerStoredStateOnANode() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        ModelStoreService storeB = internalCluster().getInstance(ModelStoreService.class, nodes[1]);
        ModelBundle v1 = RandomModels.mlp(8, new int[] { 8 }, 50);
        ModelBundle v2 = RandomModels.mlp(8, new int[] { 8 }, 51);
        ModelBundle v3 = RandomModels.mlp(8, new int[] { 8 }, 52);
        try (RestClient a = clientFor(nodes[0])) {
            send(a, "PUT", MODELS + "stamped", body(v1, null), 201);
            STORE_GETS.clear();
            assertThat(compiled(storeB, "stamped").checksum(), equalTo(v1.checksum()));
            assertThat(sourceLoads(), equalTo(List.of(true, true))); // the checksum, then the bundle to compile
            for (int i = 0; i < 3; i++) {
                STORE_GETS.clear();
                ModelCache.Entry again = compiled(storeB, "stamped");
                assertThat(again.checksum(), equalTo(v1.checksum()));
                assertThat(again.version(), equalTo(1L));
                assertThat(sourceLoads(), equalTo(List.of(false)));
            }

            send(a, "PUT", MODELS + "stamped", body(v2, null), 200);
            STORE_GETS.clear();
            ModelCache.Entry second = compiled(storeB, "stamped");
            assertThat(second.version(), equalTo(2L));
            assertThat(second.checksum(), equalTo(v2.checksum()));
            assertThat(sourceLoads(), equalTo(List.of(false, true, true))); // a state B has not read: checksum again

            // deleted and uploaded again: whatever version the document gets, its write is a new state
            send(a, "DELETE", MODELS + "stamped", null, 200);
            send(a, "PUT", MODELS + "stamped", body(v3, null), 201);
            STORE_GETS.clear();
            ModelCache.Entry third = compiled(storeB, "stamped");
            assertThat(third.checksum(), equalTo(v3.checksum()));
            assertThat(sourceLoads(), equalTo(List.of(false, true, true)));
        }
    }

    /**
     * A {@code script_score} with {@code source: model} pins the model once per search, on the coordinating node, and
     * every shard scores with that pin: one read of the model's state for a search over four shards on two nodes
     * (each shard pinned it itself before: four reads, and possibly two versions in one search). A pin the request
     * carries is replaced; {@code _explain}, which runs no search action, still pins on its shard.
     */
    public void testAScriptPinsItsModelOncePerSearch() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        try (RestClient a = clientFor(nodes[0])) {
            vectorIndex(a, "scored", 4, 8, 40);
            ModelBundle model = RandomModels.mlp(8, new int[] { 8 }, 60);
            send(a, "PUT", MODELS + "scripted", body(model, null), 201);
            String params = "\"model\":\"scripted\",\"field\":\"emb\",\"vector\":[1,0,0,1,0,0,1,0]";
            String search = "{\"size\":40,\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},\"script\":{"
                + "\"lang\":\"recommender\",\"source\":\"model\",\"params\":{" + params + "}}}}}";
            JsonNode first = send(a, "POST", "/scored/_search", search, 200);
            assertThat(first.path("_shards").path("successful").asInt(), equalTo(4));
            assertThat(first.path("hits").path("hits").size(), equalTo(40));
            STORE_GETS.clear();
            send(a, "POST", "/scored/_search", search, 200); // both nodes have compiled it by now
            assertThat("one pin for the search, not one per shard", STORE_GETS.size(), equalTo(1));

            // a pin the request carries (the plugin's own from an earlier pass, or made up) is replaced by this node's
            JsonNode repinned = send(a, "POST", "/scored/_search", search.replace(params, params + ",\"model_pin\":{\"version\":7,\"checksum\":\"x\"}"), 200);
            assertThat(repinned.path("hits").path("hits"), equalTo(first.path("hits").path("hits")));
            JsonNode explained = send(a, "POST", "/scored/_explain/d1", "{\"query\":{\"script_score\":{\"query\":{\"match_all\":{}},"
                + "\"script\":{\"lang\":\"recommender\",\"source\":\"model\",\"params\":{" + params + "}}}}}", 200);
            assertThat(explained.path("matched").asBoolean(), equalTo(true));

            // a pin ahead of every copy of the store (made up, in a function_score whose functions the coordinating node
            // does not rewrite) is waited for by reading the model's version only: at most two reads of the bundle per
            // node (before and after the wait), not one per wait (twenty), and the search still fails
            STORE_GETS.clear();
            String forged = "{\"size\":5,\"query\":{\"function_score\":{\"query\":{\"match_all\":{}},\"functions\":[{\"script_score\":{\"script\":{"
                + "\"lang\":\"recommender\",\"source\":\"model\",\"params\":{" + params + ",\"model_pin\":{\"version\":1000000,\"checksum\":\"x\"}}}}}]}}}";
            org.opensearch.client.Request request = new org.opensearch.client.Request("POST", "/scored/_search");
            request.setJsonEntity(forged);
            org.opensearch.client.ResponseException refused = expectThrows(org.opensearch.client.ResponseException.class, () -> a.performRequest(request));
            String text = new String(refused.getResponse().getEntity().getContent().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text, text.contains("model [scripted] changed from version [1000000]"), equalTo(true));
            long bundleReads = STORE_GETS.stream()
                .filter(g -> g.fetchSourceContext() != null && java.util.Arrays.asList(g.fetchSourceContext().includes()).contains("bundle"))
                .count();
            assertThat("bundle reads " + bundleReads + " of " + STORE_GETS.size() + " reads", bundleReads <= 2L * nodes.length, equalTo(true));
            assertThat("it waited, reading versions", STORE_GETS.size() > 10, equalTo(true));
        }
    }

    /** @return for each recorded get of a model document, in order, whether it loaded {@code _source} */
    private static List<Boolean> sourceLoads() {
        return STORE_GETS.stream().map(g -> g.fetchSourceContext() == null || g.fetchSourceContext().fetchSource()).toList();
    }

    public void testACachedModelOfTheSameVersionButAnotherChecksumIsNeverServed() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        ModelStoreService storeB = internalCluster().getInstance(ModelStoreService.class, nodes[1]);
        ModelCache cacheB = internalCluster().getInstance(ModelCache.class, nodes[1]);
        ModelBundle stale = RandomModels.mlp(8, new int[] { 8 }, 40);
        ModelBundle fresh = RandomModels.mlp(8, new int[] { 8 }, 41);
        try (RestClient a = clientFor(nodes[0])) {
            send(a, "PUT", MODELS + "again", body(fresh, null), 201);
        }
        // what node B would hold had it compiled an earlier model [again] at version 1 that was deleted, and the
        // id then uploaded anew through node A under the same version (versions restart once deletes are forgotten)
        cacheB.put("again", new ModelCache.Entry(1, stale.checksum(), stale.compile()));
        ModelCache.Entry served = compiled(storeB, "again");
        assertThat(served.version(), equalTo(1L));
        assertThat(served.checksum(), equalTo(fresh.checksum()));
        float[] user = { 0.5f, -1f, 0.25f, 2f, 0f, 1f, -0.5f, 0.75f };
        float[] item = { 1f, 0.5f, -0.25f, 0f, 1.5f, -1f, 0.25f, 0.5f };
        assertEquals(fresh.compile().score(user, item), served.model().score(user, item), 0f);
        assertNotEquals(stale.compile().score(user, item), served.model().score(user, item), 0f);
        // a request pinned to the stale bundle fails with 409 rather than scoring with the new one
        PlainActionFuture<ModelCache.Entry> gone = PlainActionFuture.newFuture();
        cacheB.invalidate("again");
        storeB.compiledAt(new ModelPin("again", 1, stale.checksum()), gone);
        assertThat(expectThrows(OpenSearchStatusException.class, gone::actionGet).status(), equalTo(RestStatus.CONFLICT));
    }

    public void testANodeThatNeverCompiledAPinnedVersionCompilesItAfterOneReplacement() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        ModelStoreService storeA = internalCluster().getInstance(ModelStoreService.class, nodes[0]);
        ModelStoreService storeB = internalCluster().getInstance(ModelStoreService.class, nodes[1]);
        try (RestClient a = clientFor(nodes[0])) {
            ModelBundle v1 = RandomModels.mlp(8, new int[] { 8 }, 20);
            ModelBundle v2 = RandomModels.mlp(8, new int[] { 8 }, 21);
            ModelBundle v3 = RandomModels.mlp(8, new int[] { 8 }, 22);
            send(a, "PUT", MODELS + "pinned", body(v1, null), 201);
            send(a, "PUT", MODELS + "pinned", body(v2, null), 200);

            // node B never saw version 1: a request pinned to it before the replacement still gets version 1
            ModelCache.Entry old = compiledAt(storeB, new ModelPin("pinned", 1, v1.checksum()));
            assertThat(old.version(), equalTo(1L));
            assertThat(old.checksum(), equalTo(v1.checksum()));
            float[] user = { 0.5f, -1f, 0.25f, 2f, 0f, 1f, -0.5f, 0.75f };
            float[] item = { 1f, 0.5f, -0.25f, 0f, 1.5f, -1f, 0.25f, 0.5f };
            assertEquals(v1.compile().score(user, item), old.model().score(user, item), 0f);
            assertThat(compiledAt(storeB, new ModelPin("pinned", 2, v2.checksum())).checksum(), equalTo(v2.checksum()));

            // GET shows only the current version
            JsonNode read = send(a, "GET", MODELS + "pinned?include_bundle=true", null, 200);
            assertTrue(Arrays.equals(v2.toBytes(), Base64.getDecoder().decode(read.path("bundle").asText())));
            assertFalse(read.toString(), read.toString().contains("previous"));

            // replaced twice: node A (its cache holds versions 2 and 3 from its own uploads) can no longer serve 1
            send(a, "PUT", MODELS + "pinned", body(v3, null), 200);
            PlainActionFuture<ModelCache.Entry> gone = PlainActionFuture.newFuture();
            storeA.compiledAt(new ModelPin("pinned", 1, v1.checksum()), gone);
            OpenSearchStatusException conflict = expectThrows(OpenSearchStatusException.class, gone::actionGet);
            assertThat(conflict.status(), equalTo(RestStatus.CONFLICT));
            assertThat(conflict.getMessage(), equalTo("model [pinned] changed from version [1] to [3] during the request; retry it"));
            assertThat(compiledAt(storeA, new ModelPin("pinned", 2, v2.checksum())).checksum(), equalTo(v2.checksum()));
        }
    }

    public void testConcurrentUploadsEachKeepTheVersionTheyReplaced() throws Exception {
        String[] nodes = internalCluster().getNodeNames();
        int uploads = 8;
        ModelBundle[] bundles = new ModelBundle[uploads];
        long[] versions = new long[uploads];
        try (RestClient a = clientFor(nodes[0])) {
            send(a, "PUT", MODELS + "raced", body(ModelBundle.dot(4), null), 201);
        }
        Thread[] threads = new Thread[uploads];
        Exception[] failures = new Exception[uploads];
        for (int i = 0; i < uploads; i++) {
            int n = i;
            bundles[n] = RandomModels.mlp(4, new int[] { 4 }, 100 + n);
            threads[n] = new Thread(() -> {
                try (RestClient client = clientFor(nodes[n % 2])) {
                    versions[n] = send(client, "PUT", MODELS + "raced", body(bundles[n], null), 200).path("_version").asLong();
                } catch (Exception e) {
                    failures[n] = e;
                }
            });
            threads[n].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (Exception failure : failures) {
            assertNull(failure);
        }
        long[] sorted = versions.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < uploads; i++) {
            assertThat("every upload got its own version", sorted[i], equalTo(2L + i));
        }
        // whichever node asks, the version before the last is the bundle the second-to-last upload stored
        int secondToLast = -1;
        for (int i = 0; i < uploads; i++) {
            if (versions[i] == uploads) {
                secondToLast = i;
            }
        }
        ModelStoreService storeB = internalCluster().getInstance(ModelStoreService.class, nodes[1]);
        ModelCache cacheB = internalCluster().getInstance(ModelCache.class, nodes[1]);
        cacheB.invalidate("raced");
        assertThat(compiledAt(storeB, new ModelPin("raced", uploads, bundles[secondToLast].checksum())).checksum(), equalTo(bundles[secondToLast].checksum()));
    }

    public void testAStoreCreatedWithoutThePreviousVersionFieldsIsUpgradedOnTheNextUpload() throws Exception {
        String oldMapping = """
            {"dynamic":"strict","properties":{"model_id":{"type":"keyword"},"type":{"type":"keyword"},
            "user_dims":{"type":"integer"},"item_dims":{"type":"integer"},"checksum":{"type":"keyword"},
            "size_in_bytes":{"type":"long"},"description":{"type":"text"},"metadata":{"type":"object","enabled":false},
            "updated_at":{"type":"date","format":"epoch_millis"},"bundle":{"type":"binary"}}}""";
        // as an earlier build's store made it (only the store itself may create its index now)
        org.opensearch.transport.client.Client node = client();
        org.opensearch.common.util.concurrent.ThreadContext context = node.threadPool().getThreadContext();
        try (org.opensearch.common.util.concurrent.ThreadContext.StoredContext ignored = context.stashContext()) {
            context.putHeader(StoreAccess.HEADER, "true");
            node.admin().indices().prepareCreate(ModelStoreService.INDEX)
                .setSettings(Settings.builder().put("index.number_of_shards", 1).put("index.hidden", true))
                .setMapping(oldMapping)
                .get();
        }
        String[] nodes = internalCluster().getNodeNames();
        // through the node that is not the cluster manager: the mapping change then runs again on the manager, whose
        // guard must see the store's access header travel with it
        String manager = internalCluster().getClusterManagerName();
        String other = nodes[0].equals(manager) ? nodes[1] : nodes[0];
        try (RestClient a = clientFor(other)) {
            ModelBundle v1 = RandomModels.mlp(8, new int[] { 8 }, 30);
            send(a, "PUT", MODELS + "upgraded", body(v1, null), 201);
            send(a, "PUT", MODELS + "upgraded", body(RandomModels.mlp(8, new int[] { 8 }, 31), null), 200);
            // the cluster manager never compiled version 1 (the uploads went through the other node): only the
            // previous version kept in the upgraded store can give it
            ModelStoreService onManager = internalCluster().getInstance(ModelStoreService.class, manager);
            assertThat(compiledAt(onManager, new ModelPin("upgraded", 1, v1.checksum())).checksum(), equalTo(v1.checksum()));
        }
    }

    private static ModelCache.Entry compiledAt(ModelStoreService store, ModelPin pin) {
        PlainActionFuture<ModelCache.Entry> future = PlainActionFuture.newFuture();
        store.compiledAt(pin, future);
        return future.actionGet();
    }

    private static ModelCache.Entry compiled(ModelStoreService store, String id) {
        PlainActionFuture<ModelCache.Entry> future = PlainActionFuture.newFuture();
        store.pin(id, future);
        return future.actionGet();
    }


    /** @return an upload body whose bundle is an array of base64 chunks of at most 64 KiB each */
    private static String bodyInChunks(ModelBundle bundle) throws IOException {
        String base64 = Base64.getEncoder().encodeToString(bundle.toBytes());
        List<String> chunks = new java.util.ArrayList<>();
        for (int at = 0; at < base64.length(); at += 1 << 16) {
            chunks.add(base64.substring(at, Math.min(base64.length(), at + (1 << 16))));
        }
        return "{\"bundle\":" + JSON.writeValueAsString(chunks) + "}";
    }

    private static String body(ModelBundle bundle, String description) throws IOException {
        StringBuilder json = new StringBuilder("{\"bundle\":\"").append(Base64.getEncoder().encodeToString(bundle.toBytes())).append('"');
        if (description != null) {
            json.append(",\"description\":").append(JSON.writeValueAsString(description));
        }
        return json.append('}').toString();
    }


}
