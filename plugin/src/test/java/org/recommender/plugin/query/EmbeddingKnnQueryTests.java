package org.recommender.plugin.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.recommender.core.rank.BoundedTopK;
import org.recommender.plugin.RecommenderHttpIntegTestCase;
import org.recommender.plugin.ReferenceScores;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * {@code embedding_knn} on two nodes and three shards: exact results equal a brute-force ranking computed here,
 * filters apply during the search and never leak, approximate results agree with exact ones on a small index,
 * and bad requests get 4xx with the field named.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class EmbeddingKnnQueryTests extends RecommenderHttpIntegTestCase {
    private static final int DIMS = 12;

    public void testExactFilteredAndApproximateTopK() throws Exception {
        send("PUT", "/items", "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1},\"mappings\":{\"properties\":{"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},\"flat\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"index\":false},"
            + "\"tag\":{\"type\":\"keyword\"},\"emb_alias\":{\"type\":\"alias\",\"path\":\"emb\"}}}}");
        send("PUT", "/users", "{\"mappings\":{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "}}}}");
        Map<String, float[]> vectors = new HashMap<>();
        Map<String, String> tags = new HashMap<>();
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 240; i++) {
            float[] v = vector();
            String tag = i % 4 == 0 ? "a" : "b";
            vectors.put("i" + i, v);
            tags.put("i" + i, tag);
            bulk.append("{\"index\":{\"_index\":\"items\",\"_id\":\"i").append(i).append("\"}}\n")
                .append(JSON.writeValueAsString(Map.of("emb", v, "flat", v, "tag", tag))).append('\n');
        }
        float[] user = vector();
        bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"u1\"}}\n").append(JSON.writeValueAsString(Map.of("emb", user))).append('\n');
        // the same vector under an object: a dotted field path reaches it, as it does in _recommend
        bulk.append("{\"index\":{\"_index\":\"users\",\"_id\":\"u2\"}}\n").append(JSON.writeValueAsString(Map.of("profile", Map.of("emb", user)))).append('\n');
        bulk(getRestClient(), bulk.toString());
        assertTopK(
            search("{\"size\":10,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"user\":{\"id\":\"u2\",\"index\":\"users\",\"field\":\"profile.emb\"},\"k\":10,\"exact\":true}}}"),
            ranking(vectors, tags, user, null),
            10
        );

        String lookup = "{\"id\":\"u1\",\"index\":\"users\",\"field\":\"emb\"}";
        for (String field : List.of("emb", "flat")) {
            List<Map.Entry<String, Double>> expected = ranking(vectors, tags, user, null);
            assertTopK(search("{\"size\":10,\"query\":{\"embedding_knn\":{\"field\":\"" + field + "\",\"user\":" + lookup + ",\"k\":10,\"exact\":true}}}"), expected, 10);
            List<Map.Entry<String, Double>> onlyA = ranking(vectors, tags, user, "a");
            JsonNode filtered = search("{\"size\":10,\"query\":{\"embedding_knn\":{\"field\":\"" + field + "\",\"user\":" + lookup
                + ",\"k\":10,\"exact\":true,\"filter\":{\"term\":{\"tag\":\"a\"}}}}}");
            assertTopK(filtered, onlyA, 10);
        }

        // approximate: explores all candidates of this small index, so it must find (nearly) the exact top 10
        List<Map.Entry<String, Double>> expected = ranking(vectors, tags, user, "a");
        JsonNode approx = search("{\"size\":10,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"user\":" + lookup
            + ",\"k\":10,\"num_candidates\":200,\"filter\":{\"term\":{\"tag\":\"a\"}}}}}");
        Set<String> exactTop = new HashSet<>();
        expected.subList(0, 10).forEach(e -> exactTop.add(e.getKey()));
        int overlap = 0;
        for (JsonNode hit : approx.path("hits").path("hits")) {
            String id = hit.path("_id").asText();
            assertThat("filter must not leak", tags.get(id), equalTo("a"));
            assertEquals(ReferenceScores.dot(user, vectors.get(id)), hit.path("_score").asDouble(), 1e-5 * Math.max(1, hit.path("_score").asDouble()));
            overlap += exactTop.contains(id) ? 1 : 0;
        }
        assertThat(overlap, greaterThanOrEqualTo(9));
        // through an alias, the same graph search (Lucene was asked for the alias's name: 0 hits)
        JsonNode viaAlias = search("{\"size\":10,\"query\":{\"embedding_knn\":{\"field\":\"emb_alias\",\"user\":" + lookup
            + ",\"k\":10,\"num_candidates\":200,\"filter\":{\"term\":{\"tag\":\"a\"}}}}}");
        assertThat(viaAlias.path("hits").path("hits"), equalTo(approx.path("hits").path("hits")));

        // the two modes really take different paths: the HNSW search, and the exact scan
        String approxProfile = search("{\"profile\":true,\"size\":3,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"user\":" + lookup
            + ",\"k\":3}}}").path("profile").toString();
        assertThat(approxProfile, containsString("DocAndScoreQuery"));
        String exactProfile = search("{\"profile\":true,\"size\":3,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"user\":" + lookup
            + ",\"k\":3,\"exact\":true}}}").path("profile").toString();
        assertThat(exactProfile, containsString("ScoredDocsQuery"));
        assertFalse(exactProfile.contains("DocAndScoreQuery"));

        // an inline vector works without any lookup
        JsonNode inline = search("{\"size\":5,\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"user\":{\"vector\":" + JSON.writeValueAsString(user)
            + "},\"k\":5,\"exact\":true}}}");
        assertTopK(inline, ranking(vectors, tags, user, null), 5);

        assertError("{\"query\":{\"embedding_knn\":{\"field\":\"tag\",\"user\":" + lookup + "}}}", 400,
            "[embedding_knn] field [tag] is of type [keyword] but must be of type [embedding]");
        assertError("{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"user\":" + lookup + ",\"k\":50,\"num_candidates\":20}}}", 400,
            "[num_candidates] must be between [k] (50) and 10000 but was 20");
        assertError("{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"user\":{\"id\":\"nobody\",\"index\":\"users\",\"field\":\"emb\"}}}}", 404,
            "user [nobody] not found in index [users]");
        assertError("{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"user\":{\"vector\":[1,2]}}}}", 400,
            "[user] vector has 2 dimensions but field [emb] has " + DIMS);
        assertError("{\"query\":{\"embedding_knn\":{\"field\":\"emb\",\"user\":{\"vector\":[1,2]},\"top\":3}}}", 400,
            "[embedding_knn] unknown field [top]");
    }

    /**
     * A shard of several segments: the exact scan gives the same hits and scores with concurrent segment search off
     * and on (segments scanned in parallel, their top k merged), and in the default {@code auto} mode an
     * {@code embedding_knn} request is searched concurrently ({@link EmbeddingKnnConcurrency}) while a plain query is not.
     */
    public void testSegmentsScannedConcurrentlyGiveTheSameExactTopK() throws Exception {
        send("PUT", "/segmented", "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
            + "\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},\"flat\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"index\":false}}}}");
        Map<String, float[]> vectors = new HashMap<>();
        for (int segment = 0; segment < 4; segment++) {
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                float[] v = vector();
                String id = "s" + segment + "-" + i;
                vectors.put(id, v);
                bulk.append("{\"index\":{\"_index\":\"segmented\",\"_id\":\"").append(id).append("\"}}\n")
                    .append(JSON.writeValueAsString(Map.of("emb", v, "flat", v))).append('\n');
            }
            bulk(getRestClient(), bulk.toString()); // refreshed: one segment per batch
        }
        JsonNode segments = send("GET", "/segmented/_segments", null).path("indices").path("segmented").path("shards").path("0").get(0).path("segments");
        assertThat(segments.toString(), segments.size(), greaterThanOrEqualTo(2));
        float[] user = vector();
        List<Map.Entry<String, Double>> expected = ranking(vectors, Map.of(), user, null);
        for (String field : List.of("emb", "flat")) {
            String query = "{\"size\":10,\"query\":{\"embedding_knn\":{\"field\":\"" + field + "\",\"user\":{\"vector\":" + JSON.writeValueAsString(user)
                + "},\"k\":10,\"exact\":true}}}";
            String previous = null;
            for (String mode : List.of("none", "all", "auto")) {
                send("PUT", "/segmented/_settings", "{\"index.search.concurrent_segment_search.mode\":\"" + mode + "\"}");
                JsonNode hits = send("POST", "/segmented/_search", query);
                assertTopK(hits, expected, 10);
                String found = hits.path("hits").path("hits").toString();
                if (previous != null) {
                    assertEquals(field + " with mode " + mode, previous, found);
                }
                previous = found;
            }
        }
        // under concurrent search the segments' scans are tasks of the index_searcher pool, not the search thread
        send("PUT", "/segmented/_settings", "{\"index.search.concurrent_segment_search.mode\":\"none\"}");
        long before = searcherTasks();
        send("POST", "/segmented/_search", "{\"size\":3,\"query\":{\"embedding_knn\":{\"field\":\"flat\",\"user\":{\"vector\":"
            + JSON.writeValueAsString(user) + "},\"k\":3,\"exact\":true}}}");
        assertEquals("mode none runs no task on the index_searcher pool", before, searcherTasks());
        send("PUT", "/segmented/_settings", "{\"index.search.concurrent_segment_search.mode\":\"auto\"}");
        send("POST", "/segmented/_search", "{\"size\":3,\"query\":{\"embedding_knn\":{\"field\":\"flat\",\"user\":{\"vector\":"
            + JSON.writeValueAsString(user) + "},\"k\":3,\"exact\":true}}}");
        // Lucene's TaskExecutor forks all tasks but one to the pool (the calling thread takes a share); a fork that ran
        // after the response was sent is counted a moment later, so wait for the count
        long forks = segments.size() - 1;
        assertBusy(() -> assertThat("a fork per segment but one", searcherTasks() - before, greaterThanOrEqualTo(forks)));
        // (the forks above are what shows that the decider made the embedding_knn request concurrent in mode auto: a
        // profiled one showed no slices with some seeds, e.g. 4B7B322558550A76, also before the scan was cut; not
        // understood yet) and a plain query is not made concurrent by it
        String plainProfile = send("POST", "/segmented/_search", "{\"profile\":true,\"size\":3,\"query\":{\"match_all\":{}}}").path("profile").toString();
        assertFalse(plainProfile, plainProfile.contains("slice_count"));
    }

    /**
     * An exact scan of a segment cut into ranges holds, on the node's {@code request} breaker, the filter's bit set
     * (maxDoc / 8 bytes) and each range's top k until they are merged (and each range's vector block while it is
     * scanned; amounts in {@code ExactBlockScanTests}): with the breaker's limit one byte below the set the filtered
     * search is refused with 429 naming the reservation, and with it one byte below the ranges' top k the unfiltered
     * one is, naming that; with the limit back both find their hits, and the breaker holds afterwards what it held
     * before.
     */
    public void testAScanOfACutSegmentGoesThroughTheRequestBreaker() throws Exception {
        int docs = ExactKnnQuery.TASK_DOCS + 7_000; // one segment, cut into two ranges
        send("PUT", "/cut", "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
            + "\"flat\":{\"type\":\"embedding\",\"dims\":2,\"index\":false},\"tag\":{\"type\":\"keyword\"}}}}");
        for (int from = 0; from < docs; from += 10_000) {
            StringBuilder bulk = new StringBuilder();
            for (int i = from; i < Math.min(docs, from + 10_000); i++) {
                bulk.append("{\"index\":{\"_index\":\"cut\",\"_id\":\"c").append(i).append("\"}}\n{\"flat\":[").append(i % 97)
                    .append(",1],\"tag\":\"").append(i % 3 == 0 ? "a" : "b").append("\"}\n");
            }
            bulk(getRestClient(), bulk.toString());
        }
        send("POST", "/cut/_forcemerge?max_num_segments=1", null);
        send("POST", "/cut/_refresh", null);
        JsonNode segments = send("GET", "/cut/_segments", null).path("indices").path("cut").path("shards").path("0").get(0).path("segments");
        assertEquals(segments.toString(), 1, segments.size());
        long bits = (long) org.apache.lucene.util.FixedBitSet.bits2words(docs) * Long.BYTES;
        String filtered = "{\"size\":3,\"query\":{\"embedding_knn\":{\"field\":\"flat\",\"user\":{\"vector\":[1,0]},\"k\":3,"
            + "\"exact\":true,\"filter\":{\"term\":{\"tag\":\"a\"}}}}}";
        String unfiltered = "{\"size\":3,\"query\":{\"embedding_knn\":{\"field\":\"flat\",\"user\":{\"vector\":[1,0]},\"k\":3,"
            + "\"exact\":true}}}";
        // the two ranges' top 3 until they are merged: two heaps of 3 ids and 3 scores
        long results = 2 * BoundedTopK.bytes(3);
        long before = settledRequestBreakerBytes(getRestClient());
        try {
            send("PUT", "/_cluster/settings", "{\"transient\":{\"indices.breaker.request.limit\":\"" + (bits - 1) + "b\"}}");
            assertError(getRestClient(), "POST", "/cut/_search", filtered, 429, "embedding_knn filter matches of a segment");
            send("PUT", "/_cluster/settings", "{\"transient\":{\"indices.breaker.request.limit\":\"" + (results - 1) + "b\"}}");
            assertError(getRestClient(), "POST", "/cut/_search", unfiltered, 429, "embedding_knn top k of each scanned range");
        } finally {
            send("PUT", "/_cluster/settings", "{\"transient\":{\"indices.breaker.request.limit\":null}}");
        }
        assertTopIds(send("POST", "/cut/_search", filtered), true);
        assertTopIds(send("POST", "/cut/_search", unfiltered), false);
        assertRequestBreakerBack(getRestClient(), before);
    }

    /** The best three of the cut index for user [1, 0]: documents with i % 97 = 96, and tag a (i % 3 = 0) when filtered. */
    private static void assertTopIds(JsonNode response, boolean filtered) {
        JsonNode hits = response.path("hits").path("hits");
        assertEquals(response.toString(), 3, hits.size());
        for (JsonNode hit : hits) {
            int i = Integer.parseInt(hit.path("_id").asText().substring(1));
            assertEquals(hit.toString(), 96, i % 97);
            if (filtered) {
                assertEquals(hit.toString(), 0, i % 3);
            }
        }
    }

    /** @return the bytes the request breakers of all nodes hold now */
    private static List<Map.Entry<String, Double>> ranking(Map<String, float[]> vectors, Map<String, String> tags, float[] user, String tag) {
        List<Map.Entry<String, Double>> all = new ArrayList<>();
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            if (tag == null || tag.equals(tags.get(e.getKey()))) {
                all.add(Map.entry(e.getKey(), ReferenceScores.dot(user, e.getValue())));
            }
        }
        all.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return all;
    }

    private static void assertTopK(JsonNode response, List<Map.Entry<String, Double>> expected, int k) {
        JsonNode hits = response.path("hits").path("hits");
        assertThat(response.toString(), hits.size(), equalTo(k));
        for (int i = 0; i < k; i++) {
            assertThat("rank " + i, hits.get(i).path("_id").asText(), equalTo(expected.get(i).getKey()));
            assertEquals(expected.get(i).getValue(), hits.get(i).path("_score").asDouble(), 1e-5 * Math.max(1, expected.get(i).getValue()));
        }
    }

    private float[] vector() {
        float[] v = new float[DIMS];
        for (int k = 0; k < DIMS; k++) {
            v[k] = (float) randomDoubleBetween(-1, 1, true);
        }
        return v;
    }

    /** @return tasks the index_searcher pools of all nodes have completed */
    private static long searcherTasks() throws IOException {
        long sum = 0;
        for (JsonNode node : send("GET", "/_nodes/stats/thread_pool", null).path("nodes")) {
            sum += node.path("thread_pool").path("index_searcher").path("completed").asLong();
        }
        return sum;
    }

    private static JsonNode search(String body) throws IOException {
        return send("POST", "/items/_search", body);
    }

    private static JsonNode send(String method, String path, String body) throws IOException {
        return send(getRestClient(), method, path, body, 200);
    }

    private static void assertError(String body, int status, String message) throws IOException {
        assertError(getRestClient(), "POST", "/items/_search", body, status, message);
    }
}
