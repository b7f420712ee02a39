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
}
