package org.recommender.plugin.store;

import org.opensearch.common.lease.Releasable;
import org.opensearch.common.lease.Releasables;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.MemorySizeValue;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.breaker.CircuitBreakingException;
import org.opensearch.core.common.breaker.NoopCircuitBreaker;
import org.opensearch.indices.breaker.BreakerSettings;
import org.recommender.core.scoring.NativeMemoryBudget;

/**
 * The memory the model store makes a node hold, accounted by the plugin's own child circuit breaker
 * {@value #BREAKER} (visible in {@code GET _nodes/stats/breaker}, limit {@code breaker.recommender.limit}, default
 * {@value #DEFAULT_LIMIT} of the heap). Upload bodies being decoded, bundles being parsed and compiled, store
 * documents being written or read, and every compiled model the cache holds are added to it; a reservation that
 * would pass the limit — or the parent breaker's — fails with {@link CircuitBreakingException} (429) before the
 * memory is allocated, so concurrent large uploads are refused instead of exhausting the heap.
 *
 * <p>Compiled models count their off-heap ND4J copies too, and the ND4J kernel's per-thread workspaces
 * ({@link #workspaces}): those take the node's memory all the same.
 */
public final class ModelMemory {
    /** The child breaker's name. */
    public static final String BREAKER = "recommender";
    /** The setting that sets its limit (an absolute size or a share of the heap), dynamically. */
    public static final String LIMIT_KEY = "breaker." + BREAKER + ".limit";
    /** What the ND4J kernel's search-thread workspaces are reserved as. */
    public static final String WORKSPACES = "ND4J scoring workspaces of search threads";
    /** Default limit: half the heap, leaving the rest to search, indexing and core's own breakers. */
    static final String DEFAULT_LIMIT = "50%";

    private volatile CircuitBreaker breaker = new NoopCircuitBreaker(BREAKER);

    /** @return the breaker to register for a node with {@code settings} */
    public static BreakerSettings breakerSettings(Settings settings) {
        long limit = MemorySizeValue.parseBytesSizeValueOrHeapRatio(settings.get(LIMIT_KEY, DEFAULT_LIMIT), LIMIT_KEY).getBytes();
        return new BreakerSettings(BREAKER, limit, 1.0, CircuitBreaker.Type.MEMORY, CircuitBreaker.Durability.TRANSIENT);
    }

    /** Takes the breaker the node built from {@link #breakerSettings}. */
    public void setBreaker(CircuitBreaker breaker) {
        this.breaker = breaker;
    }

    /**
     * Reserves {@code bytes} before the caller allocates them.
     *
     * @param what what the memory is for, as the 429's message shows it
     * @return releases the reservation, once however often it is closed
     * @throws CircuitBreakingException when the reservation would pass this breaker's or the parent's limit
     */
    public Releasable reserve(long bytes, String what) {
        if (bytes <= 0) {
            return () -> {};
        }
        CircuitBreaker b = breaker;
        b.addEstimateBytesAndMaybeBreak(bytes, what);
        return Releasables.releaseOnce(() -> b.addWithoutBreaking(-bytes));
    }

    /** Adds (or, negative, removes) memory already held, such as the cache's compiled models; never breaks. */
    public void track(long bytes) {
        breaker.addWithoutBreaking(bytes);
    }

    /**
     * @return the budget of the ND4J kernel's per-thread workspaces ({@value #WORKSPACES}): each thread's growth is
     *     reserved here before it happens and held for the thread's life; a growth that does not fit is refused
     *     (that call is scored on the JVM, the request served)
     */
    public NativeMemoryBudget workspaces() {
        return new NativeMemoryBudget() {
            @Override
            public boolean tryReserve(long bytes) {
                try {
                    reserve(bytes, WORKSPACES);
                    return true;
                } catch (CircuitBreakingException e) {
                    return false;
                }
            }

            @Override
            public void track(long bytes) {
                ModelMemory.this.track(bytes);
            }
        };
    }
}
