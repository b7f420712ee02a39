package org.recommender.tools.train;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link DoubleGemm} against a plain triple loop summing in the same order with {@link Math#fma}: equal bit for bit,
 * on shapes that hit the four-row vector blocks, the single-row vector loop and the scalar edges, at offsets.
 */
class DoubleGemmTest {
    @Test
    void productEqualsThePlainLoop() {
        SplittableRandom random = new SplittableRandom(1);
        int[][] shapes = { { 1, 1, 1 }, { 4, 3, 8 }, { 7, 5, 9 }, { 9, 64, 33 }, { 13, 2, 17 }, { 50, 64, 1682 / 10 } };
        for (int[] shape : shapes) {
            int m = shape[0], k = shape[1], n = shape[2];
            double[] a = random(random, 3 + m * k);
            double[] b = random(random, 5 + k * n);
            double[] c = random(random, 2 + m * n);
            double[] expected = c.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = expected[2 + i * n + j];
                    for (int p = 0; p < k; p++) {
                        s = Math.fma(a[3 + i * k + p], b[5 + p * n + j], s);
                    }
                    expected[2 + i * n + j] = s;
                }
            }
            DoubleGemm.multiplyAdd(a, 3, m, k, b, 5, n, c, 2);
            for (int x = 0; x < c.length; x++) {
                assertEquals(expected[x], c[x], 0.0, m + "×" + k + "×" + n + " element " + x);
            }
        }
    }

    @Test
    void transposeSwapsRowsAndColumns() {
        double[] src = { 9, 1, 2, 3, 4, 5, 6 };
        double[] dst = new double[7];
        DoubleGemm.transpose(src, 1, 2, 3, dst, 1);
        assertEquals(java.util.List.of(0.0, 1.0, 4.0, 2.0, 5.0, 3.0, 6.0), java.util.Arrays.stream(dst).boxed().toList());
    }

    private static double[] random(SplittableRandom random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        return v;
    }
}
