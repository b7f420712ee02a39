package org.recommender.plugin.store;

import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.breaker.CircuitBreakingException;
import org.opensearch.test.OpenSearchTestCase;
import org.recommender.core.scoring.NativeMemoryBudget;
import org.recommender.plugin.stats.RecommenderStats;

/**
 * The ND4J workspaces' budget is the plugin's breaker: a growth that fits is reserved in it, one past its limit is
 * refused (nothing added, the breaker's trip counted), and a gone thread's workspace is returned — each seen in the
 * node's stats ({@code nd4j_workspace_bytes}, {@code nd4j_calls_refused_for_memory}).
 */
public class ModelMemoryTests extends OpenSearchTestCase {
    /** A breaker with a fixed limit, as a child breaker behaves when the parent has room. */
    private static final class Limited implements CircuitBreaker {
        private final long limit;
        private long used;
        private long trips;

        Limited(long limit) {
            this.limit = limit;
        }

        @Override
        public void circuitBreak(String fieldName, long bytesNeeded) {
            trips++;
            throw new CircuitBreakingException("[recommender] Data too large, data for [" + fieldName + "]", bytesNeeded, limit, getDurability());
        }

        @Override
        public double addEstimateBytesAndMaybeBreak(long bytes, String label) {
            if (used + bytes > limit) {
                circuitBreak(label, used + bytes);
            }
            used += bytes;
            return used;
        }

        @Override
        public long addWithoutBreaking(long bytes) {
            used += bytes;
            return used;
        }

        @Override
        public long getUsed() {
            return used;
        }

        @Override
        public long getLimit() {
            return limit;
        }

        @Override
        public double getOverhead() {
            return 1.0;
        }

        @Override
        public long getTrippedCount() {
            return trips;
        }

        @Override
        public String getName() {
            return ModelMemory.BREAKER;
        }

        @Override
        public Durability getDurability() {
            return Durability.TRANSIENT;
        }

        @Override
        public void setLimitAndOverhead(long limit, double overhead) {
            throw new UnsupportedOperationException();
        }
    }

    /** As the node wires it: the breaker's budget, counted in the stats. */
    public void testWorkspaceGrowthIsReservedInTheBreakerAndRefusedPastItsLimit() {
        ModelMemory memory = new ModelMemory();
        Limited breaker = new Limited(1_000);
        memory.setBreaker(breaker);
        RecommenderStats stats = new RecommenderStats();
        NativeMemoryBudget workspaces = stats.counting(memory.workspaces());
        assertTrue(workspaces.tryReserve(600));
        assertEquals(600, breaker.getUsed());
        assertFalse("past the limit: refused", workspaces.tryReserve(600));
        assertEquals("nothing added for a refusal", 600, breaker.getUsed());
        assertEquals(1, breaker.getTrippedCount());
        workspaces.track(150); // what ND4J allocated beyond the estimate, held whatever the limit
        assertEquals(750, breaker.getUsed());
        assertEquals(Long.valueOf(750), stats.snapshot().get("nd4j_workspace_bytes"));
        assertEquals(Long.valueOf(1), stats.snapshot().get("nd4j_calls_refused_for_memory"));
        workspaces.track(-750); // the thread has gone
        assertEquals(0, breaker.getUsed());
        assertEquals(Long.valueOf(0), stats.snapshot().get("nd4j_workspace_bytes"));
    }
}
