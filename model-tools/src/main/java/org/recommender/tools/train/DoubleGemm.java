package org.recommender.tools.train;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision matrix products for the hand-written trainers (SASRec, GRU4Rec, ELSA), on the JDK Vector API:
 * {@code C += A · B} with every matrix row-major in a flat array at an offset. Four rows of C by two vectors of
 * columns are held in registers while the inner dimension runs, so each load of B feeds four fused multiply-adds.
 * Each element of C is summed over the inner dimension in index order, one fused multiply-add per term (the scalar
 * edges use {@link Math#fma} too), so the result does not depend on the block it falls in, nor on the machine's
 * vector width.
 */
public final class DoubleGemm {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private DoubleGemm() {}

    /**
     * C[m×n] += A[m×k] · B[k×n].
     *
     * @param a A's elements, row-major from {@code ao}
     * @param b B's elements, row-major from {@code bo}
     * @param c C's elements, row-major from {@code co}, added into
     */
    public static void multiplyAdd(double[] a, int ao, int m, int k, double[] b, int bo, int n, double[] c, int co) {
        int i = 0;
        for (; i + 3 < m; i += 4) {
            int a0 = ao + i * k;
            int a1 = a0 + k;
            int a2 = a1 + k;
            int a3 = a2 + k;
            int c0 = co + i * n;
            int c1 = c0 + n;
            int c2 = c1 + n;
            int c3 = c2 + n;
            int j = 0;
            for (; j + 2 * LANES <= n; j += 2 * LANES) {
                int j1 = j + LANES;
                DoubleVector s00 = DoubleVector.fromArray(SPECIES, c, c0 + j), s01 = DoubleVector.fromArray(SPECIES, c, c0 + j1);
                DoubleVector s10 = DoubleVector.fromArray(SPECIES, c, c1 + j), s11 = DoubleVector.fromArray(SPECIES, c, c1 + j1);
                DoubleVector s20 = DoubleVector.fromArray(SPECIES, c, c2 + j), s21 = DoubleVector.fromArray(SPECIES, c, c2 + j1);
                DoubleVector s30 = DoubleVector.fromArray(SPECIES, c, c3 + j), s31 = DoubleVector.fromArray(SPECIES, c, c3 + j1);
                for (int p = 0; p < k; p++) {
                    int row = bo + p * n;
                    DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, row + j);
                    DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, row + j1);
                    DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + p]);
                    s00 = x.lanewise(VectorOperators.FMA, b0, s00);
                    s01 = x.lanewise(VectorOperators.FMA, b1, s01);
                    x = DoubleVector.broadcast(SPECIES, a[a1 + p]);
                    s10 = x.lanewise(VectorOperators.FMA, b0, s10);
                    s11 = x.lanewise(VectorOperators.FMA, b1, s11);
                    x = DoubleVector.broadcast(SPECIES, a[a2 + p]);
                    s20 = x.lanewise(VectorOperators.FMA, b0, s20);
                    s21 = x.lanewise(VectorOperators.FMA, b1, s21);
                    x = DoubleVector.broadcast(SPECIES, a[a3 + p]);
                    s30 = x.lanewise(VectorOperators.FMA, b0, s30);
                    s31 = x.lanewise(VectorOperators.FMA, b1, s31);
                }
                s00.intoArray(c, c0 + j);
                s01.intoArray(c, c0 + j1);
                s10.intoArray(c, c1 + j);
                s11.intoArray(c, c1 + j1);
                s20.intoArray(c, c2 + j);
                s21.intoArray(c, c2 + j1);
                s30.intoArray(c, c3 + j);
                s31.intoArray(c, c3 + j1);
            }
            for (int r = 0; r < 4; r++) {
                edge(a, ao + (i + r) * k, k, b, bo, n, c, co + (i + r) * n, j);
            }
        }
        for (; i < m; i++) {
            int ar = ao + i * k;
            int cr = co + i * n;
            int j = 0;
            for (; j + LANES <= n; j += LANES) {
                DoubleVector s = DoubleVector.fromArray(SPECIES, c, cr + j);
                for (int p = 0; p < k; p++) {
                    s = DoubleVector.broadcast(SPECIES, a[ar + p]).lanewise(VectorOperators.FMA, DoubleVector.fromArray(SPECIES, b, bo + p * n + j), s);
                }
                s.intoArray(c, cr + j);
            }
            edge(a, ar, k, b, bo, n, c, cr, j);
        }
    }

    /** Columns {@code from} … n − 1 of one row of C, scalar. */
    private static void edge(double[] a, int ar, int k, double[] b, int bo, int n, double[] c, int cr, int from) {
        for (int j = from; j < n; j++) {
            double s = c[cr + j];
            for (int p = 0; p < k; p++) {
                s = Math.fma(a[ar + p], b[bo + p * n + j], s);
            }
            c[cr + j] = s;
        }
    }

    /** dst[cols×rows] (from {@code to}) = src[rows×cols]ᵀ (from {@code from}). */
    public static void transpose(double[] src, int from, int rows, int cols, double[] dst, int to) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[to + c * rows + r] = src[from + r * cols + c];
            }
        }
    }
}
