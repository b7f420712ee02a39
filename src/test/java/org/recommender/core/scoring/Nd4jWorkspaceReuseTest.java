package org.recommender.core.scoring;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.memory.abstracts.Nd4jWorkspace;
import org.nd4j.linalg.factory.Nd4j;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Once warm, the ND4J kernel's calls live inside one reused per-thread workspace: no growth, no spills. */
class Nd4jWorkspaceReuseTest {
    @Test
    void warmCallsReuseTheWorkspaceAndALargerBatchGrowsItOnce() {
        assertTrue(NativeBackend.load(Path.of("target", "javacpp-cache")).ready());
        ScoringModel mlp = RandomModels.mlp(32, new int[] { 64, 16 }, 1).compile(KernelProvider.withCrossover(1));
        ScoringModel neumf = RandomModels.neumf(32, new int[] { 16 }, 2).compile(KernelProvider.withCrossover(1));
        SplittableRandom r = new SplittableRandom(1);
        float[] user = RandomModels.vector(r, 32);
        float[][] items = new float[2000][];
        for (int i = 0; i < items.length; i++) {
            items[i] = RandomModels.vector(r, 32);
        }
        float[] out = new float[2000];
        for (int i = 0; i < 3; i++) {
            mlp.score(user, items, 1000, out);
            neumf.score(user, items, 1000, out);
        }
        Nd4jWorkspace ws = workspace();
        long size = ws.getCurrentSize();
        long spilled = ws.getSpilledSize();
        long pinned = ws.getPinnedSize();
        assertTrue(size > 1000 * 32 * 4, "the workspace holds at least the staged items: " + size);
        for (int i = 0; i < 100; i++) {
            mlp.score(user, items, 1000 - i * 7, out);
            neumf.score(user, items, 300 + i, out);
        }
        assertEquals(size, ws.getCurrentSize(), "smaller batches fit the learned size");
        assertEquals(spilled, ws.getSpilledSize());
        assertEquals(pinned, ws.getPinnedSize());

        for (int i = 0; i < 3; i++) {
            mlp.score(user, items, 2000, out);
        }
        long grown = workspace().getCurrentSize();
        assertTrue(grown > size, "a larger batch grows the workspace: " + grown + " vs " + size);
        for (int i = 0; i < 20; i++) {
            mlp.score(user, items, 2000 - i, out);
        }
        assertEquals(grown, workspace().getCurrentSize(), "and then it stays");
    }

    private static Nd4jWorkspace workspace() {
        return (Nd4jWorkspace) Nd4j.getWorkspaceManager()
            .getWorkspaceForCurrentThread(Nd4jNetworkKernel.WORKSPACE, Nd4jNetworkKernel.WORKSPACE_ID);
    }
}
