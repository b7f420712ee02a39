package org.recommender.core.vector;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ExampleEncoder#average} against its definition written out in double precision. */
class ExampleEncoderTest {
    @Test
    void averageIsTwiceThePositiveMeanMinusTheNegativeMean() {
        // mean(P) = (2, 3), mean(N) = (0, 6): u = (4, 6) − (0, 6)
        float[] u = ExampleEncoder.average(List.of(new float[] { 1, 2 }, new float[] { 3, 4 }), List.of(new float[] { 0, 6 }));
        assertArrayEquals(new float[] { 4, 0 }, u, 0f);
    }

    @Test
    void withoutNegativesItIsThePositiveMean() {
        List<float[]> positive = List.of(new float[] { 1, -2, 5 }, new float[] { 3, 4, -1 });
        assertArrayEquals(new float[] { 2, 1, 2 }, ExampleEncoder.average(positive, List.of()), 0f);
        assertArrayEquals(HistoryEncoder.mean(positive), ExampleEncoder.average(positive, List.of()), 0f);
    }

    @Test
    void randomExamplesAgreeWithADoublePrecisionReference() {
        Random random = new Random(17);
        for (int trial = 0; trial < 200; trial++) {
            int dims = 1 + random.nextInt(130);
            List<float[]> positive = vectors(random, 1 + random.nextInt(20), dims);
            List<float[]> negative = vectors(random, random.nextInt(6), dims);
            float[] u = ExampleEncoder.average(positive, negative);
            double[] p = reference(positive, dims);
            double[] n = negative.isEmpty() ? null : reference(negative, dims);
            assertEquals(dims, u.length);
            for (int i = 0; i < dims; i++) {
                double expected = n == null ? p[i] : 2 * p[i] - n[i];
                // two float roundings of the means (at most half an ulp of each operand) and one of the difference
                double scale = n == null ? Math.abs(p[i]) : 2 * Math.abs(p[i]) + Math.abs(n[i]);
                double tolerance = 2 * Math.ulp((float) scale) + Float.MIN_NORMAL;
                assertEquals(expected, u[i], tolerance, "trial " + trial + " element " + i);
            }
        }
    }

    @Test
    void errorsNameTheExamplesAtFault() {
        InvalidEmbeddingException none = assertThrows(InvalidEmbeddingException.class, () -> ExampleEncoder.average(List.of(), List.of(new float[] { 1 })));
        assertEquals("[positive] needs at least one item vector", none.getMessage());
        InvalidEmbeddingException mixed = assertThrows(
            InvalidEmbeddingException.class,
            () -> ExampleEncoder.average(List.of(new float[] { 1, 2 }), List.of(new float[] { 1, 2, 3 }))
        );
        assertEquals("[negative] item vectors have 3 dimensions but [positive] ones have 2", mixed.getMessage());
        InvalidEmbeddingException inside = assertThrows(
            InvalidEmbeddingException.class,
            () -> ExampleEncoder.average(List.of(new float[] { 1, 2 }, new float[] { 1 }), List.of())
        );
        assertTrue(inside.getMessage().startsWith("[positive] item vectors have"), inside.getMessage());
    }

    @Test
    void theBoundedInputsGiveAFiniteUser() {
        float max = EmbeddingValidator.MAX_MAGNITUDE;
        float[] u = ExampleEncoder.average(List.of(new float[] { max, -max }), List.of(new float[] { -max, max }));
        assertArrayEquals(new float[] { 3 * max, -3 * max }, u, Math.ulp(3 * max));
    }

    private static List<float[]> vectors(Random random, int count, int dims) {
        List<float[]> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            float[] v = new float[dims];
            for (int i = 0; i < dims; i++) {
                v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(5) - 2));
            }
            out.add(v);
        }
        return out;
    }

    /** The element-wise mean in double, from the float inputs. */
    private static double[] reference(List<float[]> vectors, int dims) {
        double[] mean = new double[dims];
        for (float[] v : vectors) {
            for (int i = 0; i < dims; i++) {
                mean[i] += v[i];
            }
        }
        for (int i = 0; i < dims; i++) {
            mean[i] /= vectors.size();
        }
        return mean;
    }
}
