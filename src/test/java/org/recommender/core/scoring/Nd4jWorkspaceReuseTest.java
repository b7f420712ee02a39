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

/**
 * Once warm, the ND4J kernel's calls live inside one reused per-thread workspace: no growth, no spills; and what a
 * thread keeps is bounded by {@link Nd4jNetworkKernel#CALL_BYTES_CAP}, however large the call.
 */
class Nd4jWorkspaceReuseTest {
    @Test
    void warmCallsReuseTheWorkspaceAndALargerBatchGrowsItOnce() throws Exception {
        assertTrue(NativeBackend.load(Path.of("target", "javacpp-cache")).ready());
        FreshThread.run(Nd4jWorkspaceReuseTest::reuseAndGrow);
    }

    private static void reuseAndGrow() {
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

    @Test
    void aCallLargerThanTheCapIsRunInChunksAndTheWorkspaceStaysWithinIt() throws Exception {
        int dims = 32;
        int users = 128;
        int count = 2000;
        // one pass over all pairs would take the items, a 1 per pair, and the 64 + 16 + 1 outputs of every pair
        long whole = 4L * count * (dims + users * (1 + 64 + 16 + 1));
        assertTrue(whole > 2 * Nd4jNetworkKernel.CALL_BYTES_CAP, "the call is well above the cap: " + whole);
        assertOneCallStaysWithinTheCap(dims, new int[] { 64, 16 }, users, count, 7);
    }

    @Test
    void usersWhoseFoldsExceedTheCapAreScoredInGroups() throws Exception {
        int dims = 512;
        int users = 20;
        // each user's folded first layer is 1,024 × 513 floats (2 MB): the twenty of them alone are over the cap
        assertTrue(4L * users * 1024 * (dims + 1) > Nd4jNetworkKernel.CALL_BYTES_CAP);
        assertOneCallStaysWithinTheCap(dims, new int[] { 1024, 8 }, users, 50, 13);
    }

    /**
     * One many-user call of a seeded MLP on the ND4J kernel, in a fresh thread: the thread's workspace stays within
     * 1.25 × the cap (its over-allocation) and every score equals the JVM kernel's, which KernelAgreementTest holds to
     * the double-precision reference.
     */
    private static void assertOneCallStaysWithinTheCap(int dims, int[] hidden, int users, int count, long seed) throws Exception {
        assertTrue(NativeBackend.load(Path.of("target", "javacpp-cache")).ready());
        ScoringModel nd4j = RandomModels.mlp(dims, hidden, seed).compile(KernelProvider.withCrossover(1));
        ScoringModel jvm = RandomModels.mlp(dims, hidden, seed).compile(KernelProvider.jvmOnly());
        SplittableRandom r = new SplittableRandom(seed);
        float[][] vectors = new float[users][];
        for (int u = 0; u < users; u++) {
            vectors[u] = RandomModels.vector(r, dims);
        }
        float[][] items = new float[count][];
        for (int i = 0; i < count; i++) {
            items[i] = RandomModels.vector(r, dims);
        }
        float[][] out = new float[users][count];
        float[][] expected = new float[users][count];
        long[] size = new long[1];
        FreshThread.run(() -> {
            nd4j.score(vectors, items, count, out);
            size[0] = workspace().getCurrentSize();
        });
        assertEquals(Kernel.ND4J, nd4j.kernelFor(users, count));
        assertTrue(size[0] > 0, "the call ran in the workspace");
        assertTrue(size[0] <= Nd4jNetworkKernel.CALL_BYTES_CAP * 5 / 4 + (1 << 20), "the workspace stays within the cap: " + size[0]);
        jvm.score(vectors, items, count, expected);
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < count; i++) {
                float tolerance = 1e-5f * Math.max(1, Math.abs(expected[u][i]));
                assertEquals(expected[u][i], out[u][i], tolerance, "user " + u + " item " + i);
            }
        }
    }
}
