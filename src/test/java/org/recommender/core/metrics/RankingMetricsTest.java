package org.recommender.core.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RankingMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void singleHeldOutItemAtRankThree() {
        boolean[] ranked = { false, false, true, false };
        assertEquals(1, RankingMetrics.hitRate(ranked, 3), EPS);
        assertEquals(0, RankingMetrics.hitRate(ranked, 2), EPS);
        // 1 / log2(2 + 2) = 0.5
        assertEquals(0.5, RankingMetrics.ndcg(ranked, 1, 10), EPS);
        assertEquals(0, RankingMetrics.ndcg(ranked, 1, 2), EPS);
        assertEquals(1, RankingMetrics.recall(ranked, 1, 3), EPS);
        assertEquals(0.1, RankingMetrics.precision(ranked, 10), EPS);
    }

    @Test
    void singleItemAtTheTopIsPerfect() {
        boolean[] ranked = { true, false };
        assertEquals(1, RankingMetrics.ndcg(ranked, 1, 10), EPS);
        assertEquals(1, RankingMetrics.hitRate(ranked, 1), EPS);
    }

    @Test
    void severalRelevantItemsMatchHandComputedValues() {
        // relevant at ranks 0 and 2, a third relevant item was not retrieved
        boolean[] ranked = { true, false, true, false, false };
        // DCG = 1 + 1/log2(4) = 1.5; IDCG@5 over 3 relevant = 1 + 1/log2(3) + 1/2
        double idcg = 1 + 1 / (Math.log(3) / Math.log(2)) + 0.5;
        assertEquals(1.5 / idcg, RankingMetrics.ndcg(ranked, 3, 5), EPS);
        // @2: DCG = 1, IDCG = 1 + 1/log2(3)
        assertEquals(1 / (1 + 1 / (Math.log(3) / Math.log(2))), RankingMetrics.ndcg(ranked, 3, 2), EPS);
        assertEquals(2.0 / 3, RankingMetrics.recall(ranked, 3, 5), EPS);
        assertEquals(1.0 / 3, RankingMetrics.recall(ranked, 3, 2), EPS);
        assertEquals(2.0 / 5, RankingMetrics.precision(ranked, 5), EPS);
        assertEquals(1, RankingMetrics.hitRate(ranked, 1), EPS);
    }

    @Test
    void missesScoreZero() {
        boolean[] ranked = { false, false };
        assertEquals(0, RankingMetrics.hitRate(ranked, 10), EPS);
        assertEquals(0, RankingMetrics.ndcg(ranked, 1, 10), EPS);
        assertEquals(0, RankingMetrics.recall(ranked, 1, 10), EPS);
        assertEquals(0, RankingMetrics.ndcg(new boolean[0], 0, 10), EPS);
    }

    @Test
    void discountIsOneOverLog2OfRankPlusTwo() {
        assertEquals(1, RankingMetrics.discount(0), EPS);
        assertEquals(0.5, RankingMetrics.discount(2), EPS);
        assertEquals(1 / 3.0, RankingMetrics.discount(6), EPS);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.hitRate(new boolean[] { true }, 0));
        IllegalArgumentException e = assertThrows(
            IllegalArgumentException.class,
            () -> RankingMetrics.recall(new boolean[] { true, true }, 1, 2)
        );
        assertEquals("relevantTotal is 1 but the list already holds 2 relevant items", e.getMessage());
    }
}
