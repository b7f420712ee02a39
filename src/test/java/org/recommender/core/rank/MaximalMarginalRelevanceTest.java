package org.recommender.core.rank;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * An infinite score made every relevance NaN (the pool's range was infinite), so after the first pick no value
     * beat negative infinity and the selection failed with an index of -1: a 500 from {@code _recommend}.
     */
    @Test
    void scoresThatAreNotFiniteStillGiveAFullSelection() {
        float[] scores = { Float.POSITIVE_INFINITY, 0.5f, Float.NaN, 0.9f };
        float[][] vectors = { { 1, 1 }, { -1, -1 }, { 1, -1 }, { 0, 1 } };
        MaximalMarginalRelevance.Selection s = new MaximalMarginalRelevance(0.5).select(scores, vectors, 4);
        assertEquals(0, s.order()[0], "infinity ranks with the largest finite score, first of the two in the pool");
        assertArrayEquals(new int[] { 0, 1, 2, 3 }, java.util.Arrays.stream(s.order()).sorted().toArray(), "every item once");
        for (double v : s.value()) {
            assertTrue(Double.isFinite(v), "finite MMR values: " + java.util.Arrays.toString(s.value()));
        }
        assertArrayEquals(new int[] { 0, 3, 1, 2 }, new MaximalMarginalRelevance(1).select(scores, vectors, 4).order(),
            "λ = 1: the relevance order, NaN last");
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
