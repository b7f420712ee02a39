package org.recommender.core.encoder;

import org.junit.jupiter.api.Test;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every encoder type, compiled from a bundle, equals {@link ReferenceEncoder}'s double-precision evaluation of the
 * format's formulas to 1e-5 relative to the largest element of the user vector, over random weights and histories
 * of every length from one item to {@code max_length}; and the properties the formulas promise hold (order matters
 * for the sequence encoders, not for {@code multdae}; arguments are checked).
 */
class EncoderAgreementTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void sasrecEqualsTheReferenceAtEveryLength() {
        int d = 16;
        int max = 12;
        for (int heads : new int[] { 1, 2, 4 }) {
            for (int blocks : new int[] { 1, 2 }) {
                long seed = 31L * heads + blocks;
                ModelBundle bundle = RandomModels.sasrec(d, max, heads, blocks, 24, seed);
                Map<String, float[]> weights = RandomModels.sasrecWeights(d, max, blocks, 24, seed);
                UserEncoder encoder = bundle.compileEncoder();
                assertEquals("sasrec", encoder.type());
                SplittableRandom random = new SplittableRandom(seed);
                for (int length = 1; length <= max; length++) {
                    float[][] history = vectors(random, length, d);
                    double[] expected = ReferenceEncoder.sasrec(weights, d, max, heads, blocks, 24, 1, 1e-8, history);
                    assertClose(expected, encoder.encode(history, length), "heads " + heads + ", blocks " + blocks + ", length " + length);
                }
            }
        }
    }

    @Test
    void sasrecInputScaleAndEpsilonAreApplied() {
        int d = 8;
        Map<String, float[]> weights = RandomModels.sasrecWeights(d, 5, 1, 8, 7);
        var builder = ModelBundle.builder("sasrec").dims(d).maxLength(5).heads(2).numBlocks(1).ffnDims(8).inputScale(Math.sqrt(d)).layerNormEpsilon(1e-3);
        weights.forEach(builder::weights);
        UserEncoder encoder = builder.build().compileEncoder();
        float[][] history = vectors(new SplittableRandom(3), 4, d);
        assertClose(ReferenceEncoder.sasrec(weights, d, 5, 2, 1, 8, (float) Math.sqrt(d), 1e-3, history), encoder.encode(history, 4), "scaled");
    }

    @Test
    void gru4recEqualsTheReferenceAtEveryLength() {
        for (int[] shape : new int[][] { { 8, 8, 8 }, { 16, 24, 16 }, { 5, 3, 7 } }) {
            int itemDims = shape[0];
            int hidden = shape[1];
            int userDims = shape[2];
            long seed = shape[0] * 100L + shape[1];
            UserEncoder encoder = RandomModels.gru4rec(itemDims, hidden, userDims, 20, seed).compileEncoder();
            Map<String, float[]> weights = RandomModels.gru4recWeights(itemDims, hidden, userDims, seed);
            SplittableRandom random = new SplittableRandom(seed);
            for (int length = 1; length <= 20; length++) {
                float[][] history = vectors(random, length, itemDims);
                assertClose(ReferenceEncoder.gru4rec(weights, itemDims, hidden, userDims, history), encoder.encode(history, length), "length " + length);
            }
        }
    }

    @Test
    void multdaeEqualsTheReferenceAndIgnoresOrder() {
        UserEncoder encoder = RandomModels.multdae(12, 50, 5).compileEncoder();
        assertFalse(encoder.ordered());
        float[] bias = RandomModels.multdaeBias(12, 5);
        SplittableRandom random = new SplittableRandom(5);
        for (int length = 1; length <= 50; length += 7) {
            float[][] history = vectors(random, length, 12);
            assertClose(ReferenceEncoder.multdae(bias, history), encoder.encode(history, length), "length " + length);
            float[][] reversed = reverse(history);
            assertClose(ReferenceEncoder.multdae(bias, history), encoder.encode(reversed, length), "reversed, length " + length);
        }
    }

    @Test
    void sequenceEncodersDependOnOrder() {
        float[][] history = vectors(new SplittableRandom(9), 6, 8);
        for (UserEncoder encoder : new UserEncoder[] { RandomModels.sasrec(8, 10, 2, 2, 8, 1).compileEncoder(), RandomModels.gru4rec(8, 8, 8, 10, 1).compileEncoder() }) {
            assertTrue(encoder.ordered());
            float[] forward = encoder.encode(history, 6);
            float[] backward = encoder.encode(reverse(history), 6);
            assertFalse(java.util.Arrays.equals(forward, backward), encoder.type() + " ignored the order of the history");
        }
    }

    @Test
    void onlyTheFirstLengthItemsAreRead() {
        UserEncoder encoder = RandomModels.gru4rec(4, 4, 4, 10, 2).compileEncoder();
        float[][] history = vectors(new SplittableRandom(2), 5, 4);
        float[][] longer = java.util.Arrays.copyOf(history, 8);
        longer[5] = new float[] { 9, 9, 9, 9 };
        assertArrayEquals(encoder.encode(history, 5), encoder.encode(longer, 5));
    }

    @Test
    void badHistoriesAreRefusedNamingTheProblem() {
        UserEncoder encoder = RandomModels.sasrec(8, 4, 2, 1, 8, 1).compileEncoder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> encoder.encode(new float[0][], 0)).getMessage().contains("empty"));
        float[][] five = vectors(new SplittableRandom(1), 5, 8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> encoder.encode(five, 5)).getMessage().contains("max_length of 4"));
        float[][] wrong = { new float[8], new float[7] };
        assertTrue(assertThrows(IllegalArgumentException.class, () -> encoder.encode(wrong, 2)).getMessage().startsWith("history[1]: expected a vector of 8"));
    }

    @Test
    void boundsCoverWhatEncodersHold() {
        UserEncoder sasrec = RandomModels.sasrec(64, 50, 2, 2, 64, 1).compileEncoder();
        // two blocks of 4·64² + 2·64·64 weights plus 50 position rows: at least the floats themselves
        assertTrue(sasrec.memoryBytes() >= 4L * (2 * (4 * 64 * 64 + 2 * 64 * 64) + 50 * 64), "memoryBytes " + sasrec.memoryBytes());
        assertTrue(sasrec.encodeBytesBound(50) >= 4L * 50 * 64 * 4, "encode bound " + sasrec.encodeBytesBound(50));
    }

    static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Float.isFinite(actual[i]), what + ": element " + i + " is " + actual[i]);
            assertEquals(expected[i], actual[i], TOLERANCE * Math.max(scale, 1e-3), what + ": element " + i);
        }
    }

    static float[][] vectors(SplittableRandom random, int n, int d) {
        float[][] out = new float[n][d];
        for (float[] v : out) {
            for (int c = 0; c < d; c++) {
                v[c] = (float) random.nextDouble(-1, 1);
            }
        }
        return out;
    }

    private static float[][] reverse(float[][] history) {
        float[][] out = new float[history.length][];
        for (int i = 0; i < history.length; i++) {
            out[i] = history[history.length - 1 - i];
        }
        return out;
    }
}
