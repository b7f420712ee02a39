package org.recommender.core.model;

import org.junit.jupiter.api.Test;
import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.KernelProvider;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network whose finite weights overflow float scores to infinity and NaN still scores finitely, on the batch
 * kernels (SIMD and ND4J). The item-by-item Java kernel's infinities are bounded by the same clamp in
 * {@code NeuralModel}.
 */
class FiniteScoresTest {
    private static ModelBundle overflowing() {
        int dims = 4;
        int width = 3 * dims;
        float[] w1 = new float[width * 16];
        Arrays.fill(w1, 1f); // the folded first layer stays finite; the second overflows
        float[] w2 = new float[16 * 16];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = i % 2 == 0 ? 1e30f : -1e30f; // +inf and -inf summed into one unit: NaN
        }
        float[] out = new float[16];
        Arrays.fill(out, 1f);
        return ModelBundle.builder("mlp")
            .dims(dims)
            .input(org.recommender.core.scoring.InputPart.USER, org.recommender.core.scoring.InputPart.ITEM, org.recommender.core.scoring.InputPart.PRODUCT)
            .layer(width, 16, Activation.RELU, w1, new float[16])
            .layer(16, 16, Activation.IDENTITY, w2, new float[16])
            .output(out, 0f)
            .build();
    }

    @Test
    void overflowingNetworksScoreFinitelyOnEveryPath() {
        float[] user = { 1e15f, 2e15f, 3e15f, 4e15f };
        float[][] items = new float[40][];
        for (int i = 0; i < items.length; i++) {
            items[i] = new float[] { 1e15f, i, -1e15f, 1e15f };
        }
        for (int crossover : new int[] { KernelProvider.NEVER_NATIVE, 1 }) {
            ScoringModel model = overflowing().compile(KernelProvider.withCrossover(crossover));
            for (int count : new int[] { 8, 40 }) {
                float[] out = new float[count];
                model.score(user, items, count, out);
                for (float s : out) {
                    assertTrue(Float.isFinite(s) && Math.abs(s) <= FiniteScores.MAX, "crossover " + crossover + " count " + count + ": " + s);
                }
            }
            float[][] many = new float[2][40];
            model.score(new float[][] { user, user }, items, 40, many);
            for (float[] row : many) {
                for (float s : row) {
                    assertTrue(Float.isFinite(s), "many users: " + s);
                }
            }
        }
    }

    @Test
    void nanRanksLastAndInfinitiesAreClamped() {
        assertEquals(-FiniteScores.MAX, FiniteScores.of(Float.NaN));
        assertEquals(FiniteScores.MAX, FiniteScores.of(Float.POSITIVE_INFINITY));
        assertEquals(-FiniteScores.MAX, FiniteScores.of(Float.NEGATIVE_INFINITY));
        assertEquals(0.25f, FiniteScores.of(0.25f));
    }
}
