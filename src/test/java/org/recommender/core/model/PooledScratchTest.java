package org.recommender.core.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.Kernel;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.core.scoring.Network;
import org.recommender.core.scoring.NetworkKernel;
import org.recommender.core.scoring.NetworkScratch;
import org.recommender.core.scoring.ScratchPool;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recommender.core.scoring.Activation.RELU;
import static org.recommender.core.scoring.Activation.SIGMOID;

/**
 * Scratch and staging reused between calls change no score by a single bit: every call of a shape sequence that grows,
 * shrinks and returns is compared with the same kernel run on scratch built fresh for that call.
 */
class PooledScratchTest {
    private static final int[][] SHAPES = { { 5, 40 }, { 3, 40 }, { 5, 17 }, { 7, 60 }, { 2, 60 } }; // users, items

    @BeforeAll
    static void loadNd4j() {
        assertTrue(NativeBackend.load(Path.of("target", "javacpp-cache")).ready());
    }

    @Test
    void aModelsManyUserNativeCallsEqualFreshScratchBitForBit() {
        SplittableRandom r = new SplittableRandom(31);
        ReferenceModel ref = ReferenceModel.neumf(r, 24, 24, 8, new int[] { 16, 8 }, new Activation[] { RELU, RELU }, SIGMOID);
        ModelBundle bundle = ref.bundle();
        ScoringModel model = bundle.compile(KernelProvider.withCrossover(1));
        Network network = NetworkFactory.build(KernelAgreementTest.headerOf(bundle), KernelAgreementTest.blocksOf(bundle));
        NetworkKernel fresh = KernelProvider.withCrossover(1).networkKernels(network).get(Kernel.ND4J);
        for (int[] shape : SHAPES) {
            float[][] users = vectors(r, shape[0], 24);
            float[][] items = vectors(r, shape[1], 24);
            float[][] pooled = new float[users.length][items.length];
            assertEquals(Kernel.ND4J, model.kernelFor(users.length, items.length));
            model.score(users, items, items.length, pooled);
            float[][] expected = new float[users.length][items.length];
            fresh.score(freshFolds(network, users), users.length, items, items.length, expected);
            for (int u = 0; u < users.length; u++) {
                assertArrayEquals(expected[u], pooled[u], "users " + shape[0] + ", items " + shape[1] + ", user " + u);
            }
        }
    }

    @Test
    void theDeviceKernelsStagedHostArraysChangeNoScore() {
        SplittableRandom r = new SplittableRandom(32);
        ReferenceModel ref = ReferenceModel.neumf(r, 16, 16, 8, new int[] { 12 }, new Activation[] { RELU }, SIGMOID);
        ModelBundle bundle = ref.bundle();
        Network network = NetworkFactory.build(KernelAgreementTest.headerOf(bundle), KernelAgreementTest.blocksOf(bundle));
        NetworkKernel reused = KernelProvider.withCrossover(1).networkKernels(network).get(Kernel.ND4J_GPU);
        for (int[] shape : SHAPES) {
            float[][] users = vectors(r, shape[0], 16);
            float[][] items = vectors(r, shape[1], 16);
            float[][] out = new float[users.length][items.length];
            reused.score(freshFolds(network, users), users.length, items, items.length, out);
            // a new kernel has no staged arrays yet: what the first call of each shape sees
            NetworkKernel fresh = KernelProvider.withCrossover(1).networkKernels(network).get(Kernel.ND4J_GPU);
            float[][] expected = new float[users.length][items.length];
            fresh.score(freshFolds(network, users), users.length, items, items.length, expected);
            for (int u = 0; u < users.length; u++) {
                assertArrayEquals(expected[u], out[u], "users " + shape[0] + ", items " + shape[1] + ", user " + u);
            }
        }
    }

    @Test
    void aPoolKeepsItsFoldsUpToItsLimitAndPreparesEachForItsUser() {
        SplittableRandom r = new SplittableRandom(33);
        ModelBundle bundle = RandomModels.mlp(8, new int[] { 4 }, 3);
        Network network = NetworkFactory.build(KernelAgreementTest.headerOf(bundle), KernelAgreementTest.blocksOf(bundle));
        ScratchPool pool = new ScratchPool(network);
        NetworkScratch[] five = pool.folds(vectors(r, 5, 8));
        assertSame(five, pool.folds(vectors(r, 3, 8)), "fewer users reuse the pooled folds");
        assertSame(pool.single(), pool.single());
        int kept = ScratchPool.pooledUsers(network);
        assertTrue(kept <= ScratchPool.POOLED_USERS && kept * NetworkScratch.bytes(network) <= ScratchPool.POOLED_BYTES);
        NetworkScratch[] huge = pool.folds(vectors(r, kept + 1, 8));
        assertNotSame(huge, pool.folds(vectors(r, 5, 8)), "a call over the limit does not stay pooled whole");
        assertSame(huge[0], pool.folds(vectors(r, 5, 8))[0], "its first folds stay, up to the limit");
        // prepared folds score what fresh ones do
        float[][] users = vectors(r, 4, 8);
        float[][] items = vectors(r, 9, 8);
        NetworkKernel java = KernelProvider.jvmOnly().networkKernels(network).get(Kernel.JAVA);
        float[][] pooled = new float[4][9];
        float[][] expected = new float[4][9];
        java.score(pool.folds(users), 4, items, 9, pooled);
        java.score(freshFolds(network, users), 4, items, 9, expected);
        for (int u = 0; u < 4; u++) {
            assertArrayEquals(expected[u], pooled[u]);
        }
    }

    private static NetworkScratch[] freshFolds(Network network, float[][] users) {
        NetworkScratch[] folds = new NetworkScratch[users.length];
        for (int u = 0; u < users.length; u++) {
            folds[u] = new NetworkScratch(network);
            folds[u].prepare(users[u]);
        }
        return folds;
    }

    private static float[][] vectors(SplittableRandom r, int n, int dims) {
        float[][] v = new float[n][];
        for (int i = 0; i < n; i++) {
            v[i] = ReferenceModel.random(r, dims, 1);
        }
        return v;
    }
}
