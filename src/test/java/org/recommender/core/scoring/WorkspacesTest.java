package org.recommender.core.scoring;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A model's working memory is reused between calls, never shared by two calls, and bounded whatever the threads. */
class WorkspacesTest {
    @Test
    void aGivenWorkspaceIsTakenAgainAndTwoHeldOnesDiffer() {
        Workspaces<Object> pool = new Workspaces<>(Object::new);
        Object first = pool.take();
        Object second = pool.take();
        assertNotSame(first, second, "two calls at once never share a workspace");
        pool.give(first);
        assertSame(first, pool.take());
    }

    @Test
    void atMostRetainedIdleWorkspacesAreKept() {
        AtomicInteger made = new AtomicInteger();
        Workspaces<Object> pool = new Workspaces<>(() -> {
            made.incrementAndGet();
            return new Object();
        });
        int burst = Workspaces.RETAINED + 5;
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            held.add(pool.take());
        }
        held.forEach(pool::give);
        Set<Object> again = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < burst; i++) {
            again.add(pool.take());
        }
        again.retainAll(held);
        assertEquals(Workspaces.RETAINED, again.size(), "the burst's extra workspaces were dropped");
        assertEquals(burst + 5, made.get());
        assertEquals(Workspaces.RETAINED * 100L, Workspaces.retainedBytes(100));
    }
}
