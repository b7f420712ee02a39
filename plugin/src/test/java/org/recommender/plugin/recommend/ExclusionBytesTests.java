package org.recommender.plugin.recommend;

import org.opensearch.index.query.IdsQueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.test.OpenSearchTestCase;
import org.recommender.plugin.query.UserSpec;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * What {@code _recommend} reserves for its users' exclusions ({@link ResolvedUser#exclusionBytes} per user, beside the
 * request's shared {@code exclude.ids} strings) against what the coordinating node's heap really retains for them: each
 * user's seen list as read from its document, the excluded set built from it, and the ids query of the user's candidate
 * search built from the set (as {@code CandidateSearches} builds it) — measured as the heap in use after a full
 * collection, before and after they are built. The estimate must cover the measurement (the breaker is asked for no
 * less than is held) and stay within twice it (a request is not refused for memory it would not hold).
 */
public class ExclusionBytesTests extends OpenSearchTestCase {

    public void testTheEstimateCoversWhatUsersExclusionsRetain() {
        // {shared exclude.ids, seen items per user, users}
        for (int[] shape : new int[][] { { 0, 50_000, 2 }, { 0, 90_000, 1 }, { 20_000, 1_000, 4 }, { 2_000, 20_000, 3 }, { 65_536, 0, 2 } }) {
            List<String> shared = ids("exclude-", 0, shape[0]);
            RecommendQuery query = new RecommendQuery(
                "emb", List.of(UserSpec.ofVector(new float[] { 1, 0 })), false, 10, 100, false, null, null,
                shared, null, null, Double.NaN, -1, null, null, false, false, null
            );
            String name = shape[0] + " shared ids, " + shape[1] + " seen items, " + shape[2] + " users";
            long measured = Long.MAX_VALUE;
            long estimate = 0;
            for (int attempt = 0; attempt < 3; attempt++) { // the least of three: other allocations only add
                long before = heapAfterCollection();
                List<Object> held = new ArrayList<>();
                estimate = 0;
                for (int u = 0; u < shape[2]; u++) {
                    List<String> seen = ids("seen-item-" + u + "-", 0, shape[1]);
                    Set<String> excluded = ResolvedUser.excluded(query, seen);
                    IdsQueryBuilder restriction = QueryBuilders.idsQuery().addIds(excluded.toArray(String[]::new));
                    held.add(seen);
                    held.add(excluded);
                    held.add(restriction);
                    estimate += ResolvedUser.exclusionBytes(query, seen);
                }
                measured = Math.min(measured, heapAfterCollection() - before);
                Reference.reachabilityFence(held);
            }
            assertThat(name + ": the estimate against the heap's " + measured + " bytes", estimate, greaterThanOrEqualTo(measured));
            assertThat(name + ": the estimate " + estimate + " against the heap's " + measured + " bytes", estimate, lessThanOrEqualTo(2 * measured));
        }
    }

    private static List<String> ids(String prefix, int from, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static long heapAfterCollection() {
        // the measurement needs System.gc() to be a full, stop-the-world collection (G1's default); a JVM told
        // otherwise would measure garbage with the retained size, so the test does not run there
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assumeFalse(
            "System.gc() is not a full collection in this JVM " + flags,
            flags.contains("-XX:+DisableExplicitGC") || flags.contains("-XX:+ExplicitGCInvokesConcurrent")
        );
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
