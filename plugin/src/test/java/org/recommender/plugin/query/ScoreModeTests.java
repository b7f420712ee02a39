package org.recommender.plugin.query;

import org.opensearch.test.OpenSearchTestCase;
import org.recommender.core.model.FiniteScores;

/** Every score mode gives a finite score from finite weighted scores however large (Infinity and NaN before). */
public class ScoreModeTests extends OpenSearchTestCase {
    public void testLargeWeightsNeverGiveNonFiniteScores() {
        float[][] pairs = { { 3e38f, 3e38f }, { 3e38f, -3e38f }, { -3e38f, -3e38f }, { 1e30f, 1e30f } };
        for (ScoreMode mode : ScoreMode.values()) {
            for (float[] pair : pairs) {
                float combined = mode.combine(pair[0], pair[1]);
                assertTrue(mode + " " + pair[0] + ", " + pair[1] + " -> " + combined, Float.isFinite(combined));
                assertTrue(Math.abs(combined) <= FiniteScores.MAX);
            }
        }
        assertEquals(3.5f, ScoreMode.TOTAL.combine(1.5f, 2f), 0f);
    }

    /** Weighting then combining, in the one place the rescorer's scores and its explanation both take them from. */
    public void testWeightsApplyToEachPartBeforeCombining() {
        assertEquals(2 * 1.5f + 0.5f * 4f, ScoreMode.TOTAL.combine(2f, 1.5f, 0.5f, 4f), 0f);
        assertEquals((2 * 1.5f) * (0.5f * 4f), ScoreMode.MULTIPLY.combine(2f, 1.5f, 0.5f, 4f), 0f);
        assertEquals(0.5f * 4f, ScoreMode.REPLACE.combine(2f, 1.5f, 0.5f, 4f), 0f);
        // a part that would overflow is bounded before it is combined: 3e38 × 10 + (−3e38 × 10) is not NaN
        float combined = ScoreMode.TOTAL.combine(10f, 3e38f, 10f, -3e38f);
        assertEquals(0f, combined, 0f);
        assertEquals(FiniteScores.MAX, ScoreMode.weighted(3e38f, 10f), 0f);
    }
}
