package org.recommender.core.scoring;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ND4J kernel's per-thread workspace goes through the node's {@link NativeMemoryBudget}: what a thread's workspace
 * grows to is reserved before it grows, once (calls that fit reserve nothing), and covers what the workspace holds; a
 * growth the budget refuses is not made — that call is scored on the JVM, bit for bit as a JVM-only model scores it,
 * and the model keeps its native kernel for the calls after; a gone thread's reservation goes back to the budget.
 */
class Nd4jWorkspaceBudgetTest {
    private static final int DIMS = 32;

    /** Records what it is asked; refuses once {@link #limit} would be passed. */
    private static final class Recording implements NativeMemoryBudget {
        volatile long limit = Long.MAX_VALUE;
        long held;
        int reservations;
        int refusals;

        @Override
        public synchronized boolean tryReserve(long bytes) {
            if (held + bytes > limit) {
                refusals++;
                return false;
            }
            held += bytes;
            reservations++;
            return true;
        }

        @Override
        public synchronized void track(long bytes) {
            held += bytes;
        }
    }

    @Test
    void growthIsReservedBeforeItHappensOnceAndCoversTheWorkspace() throws Exception {
        assertTrue(NativeBackend.load(Path.of("target", "javacpp-cache")).ready());
        Recording budget = new Recording();
        ScoringModel mlp = RandomModels.mlp(DIMS, new int[] { 64, 16 }, 3).compile(KernelProvider.withCrossover(1).withWorkspaceBudget(budget));
        ScoringModel jvm = RandomModels.mlp(DIMS, new int[] { 64, 16 }, 3).compile(KernelProvider.jvmOnly());
        float[] user = vector(new SplittableRandom(5));
        float[][] items = items(2000, 6);
        FreshThread.run(() -> {
            float[] out = new float[2000];
            for (int i = 0; i < 3; i++) {
                mlp.score(user, items, 1000, out);
            }
            long size = workspaceSize();
            assertTrue(size > 0, "the calls ran in the workspace");
            assertTrue(budget.held >= size, "the budget holds what the workspace holds: " + budget.held + " < " + size);
            assertEquals(1, budget.reservations, "reserved once, before the first call");
            for (int i = 0; i < 50; i++) {
                mlp.score(user, items, 1000 - i * 7, out);
            }
            assertEquals(1, budget.reservations, "calls that fit reserve nothing");

            // a larger call that the budget refuses: not run natively, the workspace not grown, the JVM's scores
            budget.limit = budget.held;
            float[] expected = new float[2000];
            jvm.score(user, items, 2000, expected);
            mlp.score(user, items, 2000, out);
            assertEquals(1, budget.refusals);
            assertEquals(size, workspaceSize(), "a refused growth is not made");
            assertArrayEquals(expected, out, "scored on the JVM, as a JVM-only model scores");
            assertNull(mlp.nd4jFailure(), "a refusal is not a native failure");
            assertEquals(Kernel.ND4J, mlp.kernelFor(1, 2000), "the native kernel stays the model's choice");

            // allowed again: it grows, reserved first, and the budget covers the larger workspace
            budget.limit = Long.MAX_VALUE;
            mlp.score(user, items, 2000, out);
            long grown = workspaceSize();
            assertTrue(grown > size, "the larger call grew the workspace");
            assertEquals(2, budget.reservations);
            assertTrue(budget.held >= grown, "the budget holds what the workspace holds: " + budget.held + " < " + grown);
        });
    }

    @Test
    void aThreadWhoseFirstCallIsRefusedCreatesNoWorkspace() throws Exception {
        assertTrue(NativeBackend.load(Path.of("target", "javacpp-cache")).ready());
        Recording budget = new Recording();
        budget.limit = 0;
        ScoringModel neumf = RandomModels.neumf(DIMS, new int[] { 16 }, 4).compile(KernelProvider.withCrossover(1).withWorkspaceBudget(budget));
        ScoringModel jvm = RandomModels.neumf(DIMS, new int[] { 16 }, 4).compile(KernelProvider.jvmOnly());
        float[][] users = items(3, 8);
        float[][] items = items(500, 9);
        FreshThread.run(() -> {
            float[][] out = new float[3][500];
            float[][] expected = new float[3][500];
            neumf.score(users, items, 500, out);
            jvm.score(users, items, 500, expected);
            for (int u = 0; u < 3; u++) {
                assertArrayEquals(expected[u], out[u], "user " + u);
            }
            assertFalse(Nd4j.getWorkspaceManager().checkIfWorkspaceExists(Nd4jNetworkKernel.WORKSPACE_ID), "no workspace was made");
            assertEquals(0, budget.held);
            assertNull(neumf.nd4jFailure());
        });
    }

    /**
     * A search thread's reservation lasts as long as the thread; once the thread has gone (and been collected) its
     * account goes back to the budget, so a node whose pool replaces threads does not leak breaker bytes.
     */
    @Test
    void aGoneThreadsReservationGoesBackToTheBudget() throws Exception {
        assertTrue(NativeBackend.load(Path.of("target", "javacpp-cache")).ready());
        Recording budget = new Recording();
        ScoringModel mlp = RandomModels.mlp(DIMS, new int[] { 64, 16 }, 3).compile(KernelProvider.withCrossover(1).withWorkspaceBudget(budget));
        float[] user = vector(new SplittableRandom(7));
        float[][] items = items(1000, 10);
        FreshThread.run(() -> mlp.score(user, items, 1000, new float[1000]));
        long reserved;
        synchronized (budget) {
            reserved = budget.held;
        }
        assertTrue(reserved > 0, "the gone thread's workspace was reserved");
        // the account is returned by a Cleaner once the thread object is collected: ask for collections until it is
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        long held = reserved;
        while (held != 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
            synchronized (budget) {
                held = budget.held;
            }
        }
        assertEquals(0, held, "what the gone thread held went back to the budget (" + reserved + " bytes reserved)");
    }

    private static long workspaceSize() {
        return Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(Nd4jNetworkKernel.WORKSPACE, Nd4jNetworkKernel.WORKSPACE_ID).getCurrentSize();
    }

    private static float[] vector(SplittableRandom r) {
        return RandomModels.vector(r, DIMS);
    }

    private static float[][] items(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] items = new float[count][];
        for (int i = 0; i < count; i++) {
            items[i] = vector(r);
        }
        return items;
    }
}
