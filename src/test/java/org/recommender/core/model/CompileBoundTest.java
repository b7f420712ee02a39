package org.recommender.core.model;

import org.recommender.core.scoring.KernelProvider;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ModelBundle#compileBytesBound()} is what a server reserves before compiling: it must never be below what the
 * compiled model then holds ({@link ScoringModel#memoryBytes()}, heap and native), for every type and for layer
 * widths that are and are not whole SIMD vectors.
 */
class CompileBoundTest {
    @Test
    void theBoundCoversWhatEveryCompiledModelHolds() {
        List<ModelBundle> bundles = List.of(
            ModelBundle.dot(64),
            ModelBundle.cosine(4096),
            RandomModels.mlp(8, new int[] { 1 }, 1),
            RandomModels.mlp(8, new int[] { 17, 3 }, 2),
            RandomModels.mlp(64, new int[] { 256, 128, 64 }, 3),
            RandomModels.mlp(8, new int[] { 1024, 200 }, 4),
            RandomModels.neumf(32, new int[] { 64, 33, 1 }, 5),
            RandomModels.neumf(128, new int[] { 512, 256 }, 6)
        );
        for (ModelBundle bundle : bundles) {
            for (int crossover : new int[] { KernelProvider.AUTO_CROSSOVER, 1, KernelProvider.NEVER_NATIVE }) {
                long held = bundle.compile(KernelProvider.withCrossover(crossover)).memoryBytes();
                assertTrue(
                    bundle.compileBytesBound() >= held,
                    bundle + " crossover " + crossover + ": bound " + bundle.compileBytesBound() + " < held " + held
                );
            }
        }
    }
}
