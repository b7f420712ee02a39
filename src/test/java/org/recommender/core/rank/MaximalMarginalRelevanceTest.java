package org.recommender.core.rank;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MaximalMarginalRelevanceTest {
    // a and b are the same direction; c is orthogonal to both
    private static final float[] SCORES = { 1.0f, 0.9f, 0.5f };
    private static final float[][] VECTORS = { { 1, 0 }, { 2, 0 }, { 0, 1 } };

    @Test
    void lambdaOneKeepsTheRelevanceOrder() {
        assertArrayEquals(new int[] { 0, 1, 2 }, new MaximalMarginalRelevance(1).select(SCORES, VECTORS, 3).order());
    }

    @Test
    void aNearDuplicateIsPushedBelowADifferentItem() {
        // after a: b scores 0.5·0.8 − 0.5·1 = −0.1, c scores 0.5·0 − 0.5·0 = 0, so c comes before b
        MaximalMarginalRelevance.Selection s = new MaximalMarginalRelevance(0.5).select(SCORES, VECTORS, 3);
        assertArrayEquals(new int[] { 0, 2, 1 }, s.order());
        assertEquals(0.0, s.value()[1], 1e-9);
        assertEquals(-0.1, s.value()[2], 1e-6);
        assertEquals(1.0, s.maxSimilarity()[2], 1e-6);
        assertEquals(0.8, s.relevance()[2], 1e-6);
    }

    @Test
    void kLargerThanThePoolReturnsThePool() {
        assertEquals(3, new MaximalMarginalRelevance(0.3).select(SCORES, VECTORS, 10).order().length);
        assertEquals(1, new MaximalMarginalRelevance(0.3).select(SCORES, VECTORS, 1).order().length);
    }

    @Test
    void lambdaOutsideTheUnitIntervalIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaximalMarginalRelevance(1.5));
        assertEquals("[lambda] must be between 0 and 1 but was 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaximalMarginalRelevance(Double.NaN));
    }
}
