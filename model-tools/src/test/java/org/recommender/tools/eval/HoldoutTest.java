package org.recommender.tools.eval;

import org.junit.jupiter.api.Test;
import org.recommender.tools.data.Interactions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HoldoutTest {
    private static Interactions log() {
        return new Interactions.Builder()
            .add("u1", "i1", 5, 1)
            .add("u1", "i2", 5, 3) // latest of u1
            .add("u1", "i3", 5, 2)
            .add("u1", "i2", 5, 0) // an earlier repeat of the held-out pair: must leave training too
            .add("u2", "i1", 5, 5) // a single item: nothing to hold out
            .add("u3", "i4", 5, 7)
            .add("u3", "i5", 5, 7) // timestamp tie: the later line wins
            .build();
    }

    @Test
    void latestHoldsOutEachUsersMostRecentItem() {
        Interactions log = log();
        HoldoutSplit split = Holdout.LATEST.apply(log);
        int u1 = log.users().indexOf("u1"), u2 = log.users().indexOf("u2"), u3 = log.users().indexOf("u3");
        assertEquals(2, split.testUsers());
        assertEquals(log.items().indexOf("i2"), split.testItem()[u1]);
        assertEquals(HoldoutSplit.NONE, split.testItem()[u2]);
        assertEquals(log.items().indexOf("i5"), split.testItem()[u3]);
        assertArrayEquals(new int[] { log.items().indexOf("i1"), log.items().indexOf("i3") }, split.train().itemsOf(u1));
        assertArrayEquals(new int[] { log.items().indexOf("i1") }, split.train().itemsOf(u2));
        assertArrayEquals(new int[] { log.items().indexOf("i4") }, split.train().itemsOf(u3));
        assertEquals(4, split.train().nonZeros());
    }

    @Test
    void noneKeepsEverythingOnceAndEvaluatesNobody() {
        HoldoutSplit split = Holdout.NONE.apply(log());
        assertEquals(0, split.testUsers());
        assertEquals(6, split.train().nonZeros(), "the repeated (u1, i2) pair counts once");
    }

    @Test
    void namesParse() {
        assertEquals(Holdout.LATEST, Holdout.fromName("latest"));
        assertEquals("unknown holdout [random]; expected one of [latest, none]",
            assertThrows(IllegalArgumentException.class, () -> Holdout.fromName("random")).getMessage());
    }
}
