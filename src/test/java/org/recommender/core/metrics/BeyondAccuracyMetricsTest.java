package org.recommender.core.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BeyondAccuracyMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void reciprocalRankAndAveragePrecisionByHand() {
        boolean[] ranked = { false, true, false, true, false };
        assertEquals(0.5, RankingMetrics.reciprocalRank(ranked, 5), EPS);
        assertEquals(0, RankingMetrics.reciprocalRank(ranked, 1), EPS);
        // precision@2 = 1/2, precision@4 = 2/4; 3 relevant overall, min(5, 3) = 3
        assertEquals((0.5 + 0.5) / 3, RankingMetrics.averagePrecision(ranked, 3, 5), EPS);
        // @2: only the first hit, normalised by min(2, 3) = 2
        assertEquals(0.5 / 2, RankingMetrics.averagePrecision(ranked, 3, 2), EPS);
        assertEquals(1, RankingMetrics.averagePrecision(new boolean[] { true, true }, 2, 10), EPS);
    }

    @Test
    void aucCountsRelevantItemsAboveNegatives() {
        // 5 candidates, relevant at ranks 0 and 3: negatives above = 0 and 3 - 1 = 2, of 2 × 3 pairs
        assertEquals(1 - 2.0 / 6, RankingMetrics.auc(new int[] { 0, 3 }, 5), EPS);
        assertEquals(1, RankingMetrics.auc(new int[] { 0, 1 }, 5), EPS);
        assertEquals(0, RankingMetrics.auc(new int[] { 3, 4 }, 5), EPS);
        // NCF protocol: the positive at rank 9 among 100 candidates beats 90 of 99 negatives
        assertEquals(90.0 / 99, RankingMetrics.auc(new int[] { 9 }, 100), EPS);
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.auc(new int[] { 3, 3 }, 5));
    }

    @Test
    void ratingErrors() {
        RatingErrors e = new RatingErrors();
        e.add(3, 4);
        e.add(5, 3);
        assertEquals(Math.sqrt((1 + 4) / 2.0), e.rmse(), EPS);
        assertEquals(1.5, e.mae(), EPS);
        assertEquals(Double.NaN, new RatingErrors().rmse());
    }

    @Test
    void coverageNoveltyDiversity() {
        CatalogCoverage c = new CatalogCoverage(10);
        c.add(new int[] { 1, 2, 3 }, 2);
        c.add(new int[] { 2, 5 }, 2);
        assertEquals(3 / 10.0, c.coverage(), EPS);

        // 8 users; item 0 seen by all (0 bits), item 1 by 2 (2 bits), item 2 by nobody (counted as 1: 3 bits)
        Novelty n = new Novelty(new int[] { 8, 2, 0 }, 8);
        assertEquals((0 + 2 + 3) / 3.0, n.of(new int[] { 0, 1, 2 }, 3), 1e-9);
        assertEquals(1, n.of(new int[] { 0, 1, 2 }, 2), 1e-9);

        // distance |a − b| / 10 over {0, 2, 6}: pairs 0.2, 0.6, 0.4
        assertEquals(0.4, IntraListDiversity.of(new int[] { 0, 2, 6 }, 3, (a, b) -> Math.abs(a - b) / 10.0), EPS);
        assertEquals(0, IntraListDiversity.of(new int[] { 4 }, 3, (a, b) -> 1), EPS);
    }
}
