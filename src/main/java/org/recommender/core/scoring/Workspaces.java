package org.recommender.core.scoring;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Supplier;

/**
 * Reusable working memory of one model or kernel, shared by the threads that score with it: a call takes a
 * workspace, uses it alone, and gives it back; at most {@link #RETAINED} idle workspaces are kept, the rest are
 * dropped. Unlike a {@link ThreadLocal} per model, the memory belongs to its owner — it goes when the model is
 * evicted instead of staying in every search thread's map until a lazy cleanup — and what the owner can hold is
 * bounded by {@code RETAINED ×} one workspace's size whatever the number of threads, so it can be counted in the
 * model's {@code memoryBytes} and charged to the circuit breaker with the weights.
 *
 * @param <T> the workspace type; not thread-safe itself, which is why a call holds it alone
 */
public final class Workspaces<T> {
    /**
     * Idle workspaces kept per owner: the node's cores. OpenSearch's search pool has {@code 1.5 × cores + 1}
     * threads, but no more than one call per core computes at a time in steady state, so beyond the core count the
     * extra workspaces would mostly sit idle; a burst above it allocates and drops.
     */
    public static final int RETAINED = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final ArrayBlockingQueue<T> idle = new ArrayBlockingQueue<>(RETAINED);
    private final Supplier<T> factory;

    /** @param factory makes a fresh workspace when none is idle */
    public Workspaces(Supplier<T> factory) {
        this.factory = factory;
    }

    /** @return an idle workspace, or a fresh one; the caller holds it alone until {@link #give} */
    public T take() {
        T workspace = idle.poll();
        return workspace != null ? workspace : factory.get();
    }

    /** Hands back a workspace taken from {@link #take}; kept for the next call unless {@link #RETAINED} are idle. */
    public void give(T workspace) {
        idle.offer(workspace);
    }

    /**
     * @param workspaceBytes the most one workspace can hold, in bytes
     * @return the most this owner keeps, in bytes: what to add to the owner's {@code memoryBytes}
     */
    public static long retainedBytes(long workspaceBytes) {
        return RETAINED * workspaceBytes;
    }
}
