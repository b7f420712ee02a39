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
}
