package org.recommender.tools.parity;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** The positions of the highest scores, best first; equal scores keep the lower position first. */
final class TopK {
    private TopK() {}

    /** @return the positions of the {@code n} highest of {@code scores} */
    static int[] of(float[] scores, int n) {
        return of(scores, IntStream.range(0, scores.length).toArray(), n);
    }

    /** @return the {@code n} positions among {@code among} with the highest {@code scores} */
    static int[] of(float[] scores, int[] among, int n) {
        Integer[] order = Arrays.stream(among).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer p) -> -scores[p]).thenComparingInt(p -> p));
        return Arrays.stream(order, 0, Math.min(n, order.length)).mapToInt(Integer::intValue).toArray();
    }
}
