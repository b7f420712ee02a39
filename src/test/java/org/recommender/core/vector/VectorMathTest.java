package org.recommender.core.vector;

import org.junit.jupiter.api.Test;
import org.recommender.core.testing.ChildJvm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link VectorMath} against a double-precision reference, and its one promise beyond accuracy: the same bits for the
 * same vectors whether the code runs interpreted or compiled, with or without the Vector API's intrinsics.
 */
class VectorMathTest {
    /** Lengths around every loop boundary of 4-, 8- and 16-lane vectors, and embedding sizes users pick. */
    private static final int[] DIMS = { 0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 48, 63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 768 };
    private static final double UNIT_ROUNDOFF = 0x1p-24;

    @Test
    void dotAndSquareDistanceStayWithinTheFloatErrorBoundOfADoubleReference() {
        SplittableRandom random = new SplittableRandom(3);
        for (int dims : DIMS) {
            for (int trial = 0; trial < 50; trial++) {
                float[] a = vector(random, dims, trial % 5 == 0 ? 100 : 1);
                float[] b = vector(random, dims, 1);
                double dot = 0, absDot = 0, distance = 0;
                for (int i = 0; i < dims; i++) {
                    dot += (double) a[i] * b[i];
                    absDot += Math.abs((double) a[i] * b[i]);
                    double d = (double) (a[i] - b[i]); // the float difference, as the kernels take it
                    distance += d * d;
                }
                // any order of n float additions errs by at most γ(n) = n·u / (1 − n·u) times the sum of magnitudes
                double gamma = (dims + 1) * UNIT_ROUNDOFF / (1 - (dims + 1) * UNIT_ROUNDOFF);
                assertEquals(dot, VectorMath.dot(a, b), gamma * absDot + Float.MIN_VALUE, "dot, dims " + dims);
                assertEquals(distance, VectorMath.squareDistance(a, b), gamma * distance + Float.MIN_VALUE, "distance, dims " + dims);
                assertEquals(dot, ScalarVectorMath.dot(a, b), gamma * absDot + Float.MIN_VALUE, "scalar dot, dims " + dims);
                assertEquals(distance, ScalarVectorMath.squareDistance(a, b), gamma * distance + Float.MIN_VALUE, "scalar distance, dims " + dims);
            }
        }
    }

    @Test
    void vectorsOfDifferentLengthsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorMath.dot(new float[3], new float[4]));
        assertEquals("vector dimensions differ: 3 != 4", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VectorMath.squareDistance(new float[5], new float[2]));
    }

    /**
     * Interpreted ({@code -Xint}: the Vector API's Java fallback) and compiled (the C2 intrinsics, after enough rounds
     * for the JIT) give the same bits. Lucene's {@code VectorUtil}, which this class replaced, fails this: about half
     * of its d = 64 results change once compiled, because {@code reduceLanes} sums lanes in another order.
     */
    @Test
    void resultsAreTheSameBitsInterpretedAndCompiled() throws IOException, InterruptedException {
        int[] compiled = ChildJvm.run(VectorMathTest.class, 3_000, "--add-modules=jdk.incubator.vector");
        int[] interpreted = ChildJvm.run(VectorMathTest.class, 1, "-Xint", "--add-modules=jdk.incubator.vector");
        assertEquals(results(1).length, compiled.length);
        assertArrayEquals(interpreted, compiled);
    }

    /** Without the Vector API module the scalar kernel runs (nothing links against {@code jdk.incubator.vector}). */
    @Test
    void withoutTheVectorApiTheScalarKernelAnswers() throws IOException, InterruptedException {
        List<Integer> scalar = new ArrayList<>();
        for (float[][] pair : pairs()) {
            scalar.add(Float.floatToRawIntBits(ScalarVectorMath.dot(pair[0], pair[1])));
            scalar.add(Float.floatToRawIntBits(ScalarVectorMath.squareDistance(pair[0], pair[1])));
        }
        assertArrayEquals(scalar.stream().mapToInt(Integer::intValue).toArray(), ChildJvm.run(VectorMathTest.class, 1));
    }

    /** Seeded pairs of every length in {@link #DIMS}. */
    private static List<float[][]> pairs() {
        SplittableRandom random = new SplittableRandom(17);
        List<float[][]> pairs = new ArrayList<>();
        for (int dims : DIMS) {
            for (int k = 0; k < 20; k++) {
                pairs.add(new float[][] { vector(random, dims, 1), vector(random, dims, 1) });
            }
        }
        return pairs;
    }

    /** The bits of every pair's dot product and squared distance after {@code rounds} evaluations of each. */
    static int[] results(int rounds) {
        List<float[][]> pairs = pairs();
        int[] bits = new int[2 * pairs.size()];
        for (int round = 0; round < rounds; round++) {
            for (int p = 0; p < pairs.size(); p++) {
                float[][] pair = pairs.get(p);
                bits[2 * p] = Float.floatToRawIntBits(VectorMath.dot(pair[0], pair[1]));
                bits[2 * p + 1] = Float.floatToRawIntBits(VectorMath.squareDistance(pair[0], pair[1]));
            }
        }
        return bits;
    }

    /** Entry point of the child JVMs: prints {@link #results} after {@code args[0]} rounds on one line. */
    public static void main(String[] args) {
        System.out.println(Arrays.toString(results(Integer.parseInt(args[0]))));
    }

    private static float[] vector(SplittableRandom random, int dims, double scale) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }
}
