package org.recommender.plugin.store;

import org.opensearch.common.lease.Releasable;
import org.opensearch.common.lease.Releasables;

import java.util.ArrayList;
import java.util.List;

/**
 * What one request holds from answers that arrive one after another (reads of user documents, item vectors,
 * items' {@code _source}), each reserved in the plugin's breaker as it arrives and all released together when the
 * request is done ({@link #close}); a reservation made after that is released at once, so a read that lands after
 * the request failed leaves nothing behind. Thread-safe: answers arrive on whichever thread the transport gives them.
 */
public final class HeldMemory implements Releasable {
    /** The breaker's reserve ({@link ModelStoreService#reserve}). */
    @FunctionalInterface
    public interface Breaker {
        /**
         * @throws org.opensearch.core.common.breaker.CircuitBreakingException when {@code bytes} do not fit
         */
        Releasable reserve(long bytes, String what);
    }

    private final Breaker breaker;
    private final String what;
    private final List<Releasable> reservations = new ArrayList<>();
    private boolean closed;

    /**
     * @param breaker where to reserve, or {@code null} where there is none (a unit test's surface without the node's
     *     services): then nothing is reserved
     * @param what what the memory is for, as a 429's message names it
     */
    public HeldMemory(Breaker breaker, String what) {
        this.breaker = breaker;
        this.what = what;
    }

    /**
     * Reserves {@code bytes} more until {@link #close}.
     *
     * @throws org.opensearch.core.common.breaker.CircuitBreakingException when they do not fit (nothing is then held
     *     for them)
     */
    public void reserve(long bytes) {
        if (breaker == null || bytes <= 0) {
            return;
        }
        Releasable reservation = breaker.reserve(bytes, what);
        synchronized (this) {
            if (closed == false) {
                reservations.add(reservation);
                return;
            }
        }
        reservation.close();
    }

    /** Releases everything reserved so far, and anything reserved later as soon as it is. */
    @Override
    public synchronized void close() {
        closed = true;
        Releasables.close(reservations);
        reservations.clear();
    }
}
