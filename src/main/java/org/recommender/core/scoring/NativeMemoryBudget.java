package org.recommender.core.scoring;

/**
 * Where a node accounts the native memory its scoring threads keep from one call to the next: the ND4J kernel's
 * per-thread workspace ({@link Nd4jNetworkKernel}), which keeps the size its largest call needed for the thread's
 * life, beyond any one request. The plugin backs it with its circuit breaker.
 */
public interface NativeMemoryBudget {
    /** Accounts nothing: for tools and tests that run outside a node. */
    NativeMemoryBudget NONE = new NativeMemoryBudget() {
        @Override
        public boolean tryReserve(long bytes) {
            return true;
        }

        @Override
        public void track(long bytes) {}
    };

    /**
     * Reserves {@code bytes} more before a thread's native memory grows by them.
     *
     * @return whether they fit; when they do not, nothing is reserved and the caller must not grow (it scores on the
     *     JVM instead)
     */
    boolean tryReserve(long bytes);

    /**
     * Adds (or, negative, returns) bytes without a limit: memory already allocated beyond what was reserved, or
     * released when a thread that held it has gone.
     */
    void track(long bytes);
}
