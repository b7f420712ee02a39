package org.recommender.core.scoring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class StagingArraysTest {
    @Test
    void aSlotKeepsItsArrayWhileTheLengthRepeatsAndNeverKeepsAHugeOne() {
        StagingArrays staging = new StagingArrays(2);
        float[] a = staging.get(0, 10);
        assertEquals(10, a.length);
        assertSame(a, staging.get(0, 10));
        assertNotSame(a, staging.get(1, 10), "slots are independent");
        float[] b = staging.get(0, 11);
        assertEquals(11, b.length, "ND4J copies whole arrays: the length is exact, never larger");
        assertSame(b, staging.get(0, 11));
        float[] huge = staging.get(0, StagingArrays.MAX_KEPT + 1);
        assertNotSame(huge, staging.get(0, StagingArrays.MAX_KEPT + 1), "too large to keep");
        assertSame(b, staging.get(0, 11), "the kept array survives a huge call");
    }
}
