package org.recommender.core.vector;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BestScore} against its definition written out in double precision, and against the order of Qdrant's own
 * best_score value q = σ(p) if p &gt; n else −σ(n), σ(x) = ½(1 + x/(1 + |x|)), computed here independently.
 */
class BestScoreTest {
    @Test
    void randomExamplesAgreeWithADoublePrecisionReference() {
        Random random = new Random(23);
        int checked = 0;
        for (int trial = 0; trial < 300; trial++) {
            VectorSimilarity similarity = VectorSimilarity.values()[trial % 3];
            int dims = 1 + random.nextInt(70);
            List<float[]> positive = vectors(random, 1 + random.nextInt(6), dims);
            List<float[]> negative = vectors(random, random.nextInt(4), dims);
            BestScore.Scorer scorer = BestScore.of(positive, negative).scorer(similarity);
            List<float[]> items = vectors(random, 40, dims);
            float[] block = new float[items.size()];
            scorer.score(items.toArray(float[][]::new), items.size(), block);
            for (int i = 0; i < items.size(); i++) {
                float[] item = items.get(i);
                assertEquals(Float.floatToIntBits(scorer.score(item)), Float.floatToIntBits(block[i]), "block and single scores are one computation");
                double p = best(similarity, positive, item);
                double n = negative.isEmpty() ? Double.NEGATIVE_INFINITY : best(similarity, negative, item);
                if (Math.abs(p - n) < 1e-3 * (1 + Math.abs(p))) {
                    continue; // within float rounding of a tie: either branch is right
                }
                double expected = p > n ? 1 + transform(similarity, p) : 1 / (2 + transform(similarity, n));
                assertEquals(expected, block[i], 1e-4 * Math.max(1, Math.abs(expected)), similarity + " trial " + trial + " item " + i);
                checked++;
            }
        }
        assertTrue(checked > 10_000, "most items are far from a tie: " + checked);
    }

    @Test
    void itRanksAsQdrantsBestScore() {
        Random random = new Random(5);
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            int dims = 16;
            List<float[]> positive = vectors(random, 3, dims);
            List<float[]> negative = vectors(random, 3, dims);
            BestScore.Scorer scorer = BestScore.of(positive, negative).scorer(similarity);
            List<float[]> items = vectors(random, 300, dims);
            double[] q = new double[items.size()];
            float[] ours = new float[items.size()];
            int negativeBranch = 0;
            for (int i = 0; i < items.size(); i++) {
                double p = best(similarity, positive, items.get(i));
                double n = best(similarity, negative, items.get(i));
                q[i] = p > n ? sigmoid(p) : -sigmoid(n);
                negativeBranch += p > n ? 0 : 1;
                ours[i] = scorer.score(items.get(i));
            }
            assertTrue(negativeBranch > 30 && negativeBranch < 270, "both branches are exercised: " + negativeBranch);
            for (int i = 0; i < q.length; i++) {
                for (int j = 0; j < q.length; j++) {
                    if (q[i] - q[j] > 1e-4) {
                        assertTrue(ours[i] > ours[j], similarity + ": Qdrant ranks item " + i + " above " + j + " (" + q[i] + " > " + q[j] + ")");
                    }
                }
            }
        }
    }

    @Test
    void anItemNearerAPositiveRanksAboveEveryItemNearerANegative() {
        // one dimension, dot product: positive example 1, negative example -1. Item x: p = x, n = -x
        BestScore.Scorer scorer = BestScore.of(List.of(new float[] { 1 }), List.of(new float[] { -1 })).scorer(VectorSimilarity.DOT_PRODUCT);
        assertEquals(1 + (0.5f + 1), scorer.score(new float[] { 0.5f }), 0f); // p = 0.5 > n = -0.5: 1 + S(0.5)
        assertEquals(1 / (2 + 1.5f), scorer.score(new float[] { -0.5f }), 0f); // n = 0.5 ≥ p: 1 / (2 + S(0.5))
        assertEquals(1 / (2 + 1f), scorer.score(new float[] { 0f }), 0f); // p = n = 0: a tie goes to the negative
        assertTrue(scorer.score(new float[] { -1e30f }) < scorer.score(new float[] { -1f }), "farther from the positive, lower");
        assertTrue(scorer.score(new float[] { 1e-3f }) >= 1f && scorer.score(new float[] { -1e-3f }) <= 0.5f);
    }

    @Test
    void withoutNegativesItIsOnePlusTheBestFieldScore() {
        Random random = new Random(9);
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            List<float[]> positive = vectors(random, 4, 12);
            BestScore.Scorer scorer = BestScore.of(positive, List.of()).scorer(similarity);
            for (float[] item : vectors(random, 50, 12)) {
                float best = 0;
                for (float[] e : positive) {
                    best = Math.max(best, similarity.score(e, item));
                }
                assertEquals(Float.floatToIntBits(1 + best), Float.floatToIntBits(scorer.score(item)), similarity.toString());
            }
        }
    }

    @Test
    void anotherComparisonKeepsTheOrientationAndTransformOfItsSimilarity() {
        Random random = new Random(31);
        List<float[]> positive = vectors(random, 3, 10);
        List<float[]> negative = vectors(random, 2, 10);
        BestScore examples = BestScore.of(positive, negative);
        // the similarity's own comparison through the overload is the plain scorer, bit for bit
        BestScore.Scorer plain = examples.scorer(VectorSimilarity.L2);
        BestScore.Scorer same = examples.scorer(VectorSimilarity.L2, VectorSimilarity.L2::prepare);
        // a comparison that doubles every dot product, scored by the dot_product transform (as a model's output is)
        BestScore.Scorer doubled = examples.scorer(VectorSimilarity.DOT_PRODUCT, e -> item -> 2 * VectorSimilarity.DOT_PRODUCT.raw(e, item));
        for (float[] item : vectors(random, 100, 10)) {
            assertEquals(Float.floatToIntBits(plain.score(item)), Float.floatToIntBits(same.score(item)));
            double p = 2 * best(VectorSimilarity.DOT_PRODUCT, positive, item);
            double n = 2 * best(VectorSimilarity.DOT_PRODUCT, negative, item);
            if (Math.abs(p - n) < 1e-3) {
                continue;
            }
            double expected = p > n ? 1 + transform(VectorSimilarity.DOT_PRODUCT, p) : 1 / (2 + transform(VectorSimilarity.DOT_PRODUCT, n));
            assertEquals(expected, doubled.score(item), 1e-4 * Math.max(1, expected));
        }
    }

    @Test
    void anExampleThatIsBothPositiveAndNegativeIsATie() {
        float[] e = { 0.3f, -0.7f };
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            BestScore.Scorer scorer = BestScore.of(List.of(e), List.of(e)).scorer(similarity);
            float[] item = { 0.1f, 0.9f };
            assertEquals(1 / (2 + similarity.score(e, item)), scorer.score(item), 0f, similarity.toString());
        }
    }

    @Test
    void theBoundedInputsGiveFiniteNonNegativeScores() {
        float max = EmbeddingValidator.MAX_MAGNITUDE;
        float[] big = new float[EmbeddingValidator.MAX_DIMENSIONS];
        float[] small = new float[big.length];
        java.util.Arrays.fill(big, max);
        java.util.Arrays.fill(small, -max);
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            BestScore.Scorer scorer = BestScore.of(List.of(big), List.of(small)).scorer(similarity);
            for (float[] item : List.of(big, small)) {
                float s = scorer.score(item);
                assertTrue(Float.isFinite(s) && s > 0, similarity + " " + s);
            }
        }
    }

    @Test
    void errorsNameTheExamplesAtFault() {
        assertEquals("[positive] needs at least one item vector",
            assertThrows(InvalidEmbeddingException.class, () -> BestScore.of(List.of(), List.of(new float[] { 1 }))).getMessage());
        assertEquals("[negative] item vectors have 3 dimensions but [positive] ones have 2",
            assertThrows(InvalidEmbeddingException.class, () -> BestScore.of(List.of(new float[2]), List.of(new float[3]))).getMessage());
        List<float[]> many = new ArrayList<>();
        for (int i = 0; i < BestScore.MAX_EXAMPLES; i++) {
            many.add(new float[2]);
        }
        BestScore.of(many, List.of()); // the limit itself is allowed
        assertEquals("[positive] and [negative] hold 101 examples but at most 100 are allowed",
            assertThrows(InvalidEmbeddingException.class, () -> BestScore.of(many, List.of(new float[2]))).getMessage());
    }

    /** The best similarity, oriented (higher is more similar), in double from the float inputs. */
    private static double best(VectorSimilarity similarity, List<float[]> examples, float[] item) {
        double best = Double.NEGATIVE_INFINITY;
        for (float[] e : examples) {
            double dot = 0, ee = 0, ii = 0, d2 = 0;
            for (int i = 0; i < e.length; i++) {
                dot += (double) e[i] * item[i];
                ee += (double) e[i] * e[i];
                ii += (double) item[i] * item[i];
                d2 += ((double) e[i] - item[i]) * ((double) e[i] - item[i]);
            }
            double s = switch (similarity) {
                case DOT_PRODUCT -> dot;
                case COSINE -> ee == 0 || ii == 0 ? 0 : dot / Math.sqrt(ee * ii);
                case L2 -> -d2;
            };
            best = Math.max(best, s);
        }
        return best;
    }

    /** The similarity's non-negative transform S, in double, of an oriented similarity. */
    private static double transform(VectorSimilarity similarity, double s) {
        return switch (similarity) {
            case DOT_PRODUCT -> s >= 0 ? s + 1 : 1 / (1 - s);
            case COSINE -> (1 + s) / 2;
            case L2 -> 1 / (1 - s); // s = -d²
        };
    }

    /** Qdrant's scaled fast sigmoid. */
    private static double sigmoid(double x) {
        return 0.5 * (1 + x / (1 + Math.abs(x)));
    }

    private static List<float[]> vectors(Random random, int count, int dims) {
        List<float[]> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            float[] v = new float[dims];
            for (int i = 0; i < dims; i++) {
                v[i] = (float) random.nextGaussian();
            }
            out.add(v);
        }
        return out;
    }
}
