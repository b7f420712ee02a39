package org.recommender.core.vector;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorSimilarityTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(7);

    /** Field similarity, compiled {@code cosine} models and MMR share one cosine, so they rank ties alike. */
    @Test
    void everyCosineRoundsAlike() {
        for (int dims : new int[] { 2, 7, 64, 300 }) {
            org.recommender.core.model.ScoringModel compiled = org.recommender.core.model.ModelBundle.cosine(dims).compile();
            for (int trial = 0; trial < 200; trial++) {
                float[] a = random(dims);
                float[] b = random(dims);
                float field = VectorSimilarity.COSINE.raw(a, b);
                assertEquals(field, compiled.score(a, b), 0f, "dims " + dims);
                assertEquals(field, VectorSimilarity.cosine(VectorMath.dot(a, b), VectorMath.dot(a, a), VectorMath.dot(b, b)), 0f);
            }
        }
        assertEquals(0f, VectorSimilarity.cosine(0f, 0f, 4f), "a zero vector resembles nothing");
    }

    /** The block form scores each item bit for bit as the per-item form, and both stay near a double reference. */
    @Test
    void blockScoresEqualPerItemScoresBitForBit() {
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            for (int dims : new int[] { 1, 5, 64, 257 }) {
                float[] query = random(dims);
                VectorSimilarity.Prepared prepared = similarity.prepare(query);
                float[][] items = new float[33][];
                for (int i = 0; i < items.length; i++) {
                    items[i] = random(dims);
                }
                float[] block = new float[items.length];
                prepared.raw(items, 31, block); // fewer than the rows: the rest stay untouched
                for (int i = 0; i < 31; i++) {
                    assertEquals(Float.floatToRawIntBits(prepared.raw(items[i])), Float.floatToRawIntBits(block[i]), similarity + " row " + i);
                    double dot = 0, nq = 0, ni = 0, l2 = 0;
                    for (int d = 0; d < dims; d++) {
                        dot += (double) query[d] * items[i][d];
                        nq += (double) query[d] * query[d];
                        ni += (double) items[i][d] * items[i][d];
                        l2 += ((double) query[d] - items[i][d]) * ((double) query[d] - items[i][d]);
                    }
                    double expected = switch (similarity) {
                        case DOT_PRODUCT -> dot;
                        case COSINE -> dot / Math.sqrt(nq * ni);
                        case L2 -> l2;
                    };
                    assertEquals(expected, block[i], 1e-4 * Math.max(1, Math.abs(expected)), similarity + " dims " + dims);
                }
                assertEquals(0f, block[31]);
                assertEquals(0f, block[32]);
            }
        }
    }

    @Test
    void rawSimilaritiesMatchANaiveDoublePrecisionReference() {
        for (int dims : new int[] { 1, 3, 8, 17, 64, 129 }) {
            for (int trial = 0; trial < 20; trial++) {
                float[] a = random(dims);
                float[] b = random(dims);
                double dot = 0, na = 0, nb = 0, l2 = 0;
                for (int i = 0; i < dims; i++) {
                    dot += (double) a[i] * b[i];
                    na += (double) a[i] * a[i];
                    nb += (double) b[i] * b[i];
                    l2 += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
                }
                assertEquals(dot, VectorSimilarity.DOT_PRODUCT.raw(a, b), 1e-4 * Math.max(1, Math.abs(dot)));
                assertEquals(dot / Math.sqrt(na * nb), VectorSimilarity.COSINE.raw(a, b), 1e-5);
                assertEquals(l2, VectorSimilarity.L2.raw(a, b), 1e-4 * Math.max(1, l2));
            }
        }
    }

    @Test
    void scoresAreNonNegativeAndPreserveOrder() {
        for (VectorSimilarity s : VectorSimilarity.values()) {
            float previousScore = -1;
            float[] raws = { -1e6f, -100f, -1f, -0.5f, 0f, 0.5f, 1f, 100f, 1e6f };
            for (float raw : raws) {
                if (s == VectorSimilarity.L2 && raw < 0) {
                    continue; // a squared distance is never negative
                }
                float in = s == VectorSimilarity.COSINE ? Math.max(-1, Math.min(1, raw)) : raw;
                float score = s.toScore(in);
                assertTrue(score >= 0, s + " gave negative score for " + raw);
                if (s == VectorSimilarity.L2) {
                    continue; // distance: order reverses by design, checked below
                }
                assertTrue(score >= previousScore, s + " not monotonic at " + raw);
                previousScore = score;
            }
        }
        assertTrue(VectorSimilarity.L2.toScore(0f) > VectorSimilarity.L2.toScore(4f));
        assertEquals(2f, VectorSimilarity.DOT_PRODUCT.toScore(1f));
        assertEquals(0.5f, VectorSimilarity.DOT_PRODUCT.toScore(-1f));
        assertEquals(1f, VectorSimilarity.COSINE.toScore(1f));
    }

    @Test
    void fromScoreUndoesToScore() {
        for (VectorSimilarity s : VectorSimilarity.values()) {
            float[] raws = s == VectorSimilarity.COSINE ? new float[] { -1f, -0.3f, 0f, 0.5f, 1f } : s == VectorSimilarity.L2
                ? new float[] { 0f, 0.25f, 3f, 1000f }
                : new float[] { -40f, -0.5f, 0f, 0.25f, 7.5f };
            for (float raw : raws) {
                assertEquals(raw, s.fromScore(s.toScore(raw)), 1e-5 * Math.max(1, Math.abs(raw)), s + " raw " + raw);
            }
        }
    }

    @Test
    void cosineWithTheZeroVectorIsZeroNotNaN() {
        assertEquals(0f, VectorSimilarity.COSINE.raw(new float[] { 0f, 0f }, new float[] { 1f, 2f }));
    }

    @Test
    void namesRoundTripAndUnknownNamesAreListed() {
        for (VectorSimilarity s : VectorSimilarity.values()) {
            assertEquals(s, VectorSimilarity.fromName(s.externalName()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorSimilarity.fromName("dot"));
        assertTrue(e.getMessage().contains("[dot]") && e.getMessage().contains("dot_product"));
    }

    private static float[] random(int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) RANDOM.nextDouble(-2, 2);
        }
        return v;
    }
}
