package org.recommender.core.model;

import org.junit.jupiter.api.Test;
import org.recommender.core.scoring.KernelProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ScoringModel#itemWork()} is what a server multiplies by the items a request scores to bound its CPU before it
 * starts; each count here is worked out by hand from the bundle's shape, not from the code under test.
 */
class ItemWorkTest {
    private static long work(ModelBundle bundle) {
        return bundle.compile(KernelProvider.jvmOnly()).itemWork();
    }

    @Test
    void similarityModelsCountTheirItemDimension() {
        assertEquals(64, work(ModelBundle.dot(64)));
        assertEquals(2 * 4096, work(ModelBundle.cosine(4096)), "the item's norm as well as the dot product");
    }

    @Test
    void anMlpCountsItsFoldedFirstLayerAndEveryLayerAfterIt() {
        // [u, v, u⊙v] (192) → 128 → 64 → 1: with the user folded in, the first layer is 128 rows over the 64 item
        // features, then 128 × 64 and 64 × 1 — the model of docs/benchmarks.md's rescore-window table
        assertEquals(128 * 64 + 128 * 64 + 64, work(RandomModels.mlp(64, new int[] { 128, 64 }, 1)));
        assertEquals(16_448, work(RandomModels.mlp(64, new int[] { 128, 64 }, 2)));
        // 8 → 16 → 8 → 1
        assertEquals(16 * 8 + 16 * 8 + 8, work(RandomModels.mlp(8, new int[] { 16, 8 }, 3)));
        // no hidden layer: the output row reads the 8 item features
        assertEquals(8, work(RandomModels.mlp(8, new int[0], 4)));
    }

    @Test
    void neumfCountsItsTowerAndTheGmfSkipRow() {
        // 8 dims, GMF slice 4: the tower's first layer (16 rows) bounded by all 8 item features, the skip row's 4,
        // 16 × 8, then the output's 8 tower inputs (its 4 GMF inputs are the skip row)
        assertEquals(16 * 8 + 4 + 16 * 8 + 8, work(RandomModels.neumf(8, new int[] { 16, 8 }, 5)));
    }
}
