package org.recommender.core.rank;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class TopKTest {
    @Test
    void tiesGoToTheLowerIndex() {
        float[] scores = { 1, 3, 3, 2, 3 };
        assertArrayEquals(new int[] { 1, 2, 4 }, TopK.of(scores, 3));
        assertArrayEquals(new int[] { 1, 2, 4 }, TopK.of(new int[] { 0, 1, 2, 3, 4 }, scores, 3));
        assertArrayEquals(new int[] { 4, 3 }, TopK.of(new int[] { 0, 3, 4 }, scores, 2));
        assertArrayEquals(new int[] { 1, 2, 4, 3, 0 }, TopK.of(scores, 10), "k above the pool returns the whole pool, ordered");
        assertArrayEquals(new int[0], TopK.of(new int[0], scores, 3));
    }

    @Test
    void agreesWithAFullSortOnRandomScores() {
        Random random = new Random(5);
        for (int round = 0; round < 50; round++) {
            float[] scores = new float[1 + random.nextInt(300)];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = random.nextInt(20); // many ties
            }
            int k = 1 + random.nextInt(scores.length + 5);
            int[] sorted = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
            assertArrayEquals(Arrays.copyOf(sorted, Math.min(k, scores.length)), TopK.of(scores, k), "round " + round);
        }
    }

    @Test
    void nanRanksBelowEveryNumberAndSignedZerosTie() {
        float[] scores = { Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.NaN, 1f };
        assertArrayEquals(new int[] { 5, 1, 2, 3, 0, 4 }, TopK.of(scores, 6));
        assertArrayEquals(new int[] { 5, 1 }, TopK.of(scores, 2), "a full heap never takes a NaN");
    }

    @Test
    void whatIsKeptDoesNotDependOnTheOrderOfTheOffers() {
        Random random = new Random(9);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(200);
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(10) == 0 ? Float.NaN : random.nextInt(8);
            }
            int k = 1 + random.nextInt(n);
            BoundedTopK inOrder = new BoundedTopK(k);
            BoundedTopK shuffled = new BoundedTopK(k);
            int[] order = IntStream.range(0, n).toArray();
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < n; i++) {
                inOrder.offer(i, scores[i]);
                shuffled.offer(order[i], scores[order[i]]);
            }
            assertArrayEquals(inOrder.drain(), shuffled.drain(), "round " + round);
        }
    }
}
