package org.recommender.core.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recommender.core.compute.BackendReport;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.InputPart;
import org.recommender.core.scoring.Nd4jDeviceNetworkKernel;
import org.recommender.core.scoring.Nd4jNetworkKernel;
import org.recommender.core.scoring.Network;
import org.recommender.core.scoring.NetworkBatchKernel;
import org.recommender.core.scoring.NetworkScratch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.recommender.core.scoring.Activation.IDENTITY;
import static org.recommender.core.scoring.Activation.RELU;
import static org.recommender.core.scoring.Activation.SIGMOID;
import static org.recommender.core.scoring.Activation.TANH;
import static org.recommender.core.scoring.InputPart.ITEM;
import static org.recommender.core.scoring.InputPart.PRODUCT;
import static org.recommender.core.scoring.InputPart.USER;

/**
 * The Java kernels (item by item, and SIMD batches), the ND4J kernel and an independent double-precision reference
 * agree on random models of every type.
 */
class KernelAgreementTest {
    private static final int[] BATCHES = { 1, 3, 7, 300, 1500 };

    @BeforeAll
    static void loadNd4j() {
        BackendReport report = NativeBackend.load(Path.of("target", "javacpp-cache"));
        assertTrue(report.ready(), "ND4J must load for these tests: " + report.error());
    }

    static List<ReferenceModel> models(SplittableRandom r) {
        List<ReferenceModel> models = new ArrayList<>();
        models.add(ReferenceModel.similarity("dot", 16, 16, false, false, 0));
        models.add(ReferenceModel.similarity("dot", 17, 17, true, true, 0.75));
        models.add(ReferenceModel.similarity("dot", 17, 16, true, false, -2));
        models.add(ReferenceModel.similarity("cosine", 16, 16, false, false, 0));
        models.add(ReferenceModel.similarity("cosine", 16, 17, false, true, 1.5));
        models.add(ReferenceModel.similarity("cosine", 17, 17, true, true, 0));
        models.add(ReferenceModel.mlp(r, 24, 24, List.of(USER, ITEM, PRODUCT), new int[] { 32, 16 }, new Activation[] { RELU, TANH }, IDENTITY));
        models.add(ReferenceModel.mlp(r, 20, 20, List.of(PRODUCT, USER), new int[0], new Activation[0], SIGMOID));
        models.add(ReferenceModel.mlp(r, 8, 12, List.of(ITEM), new int[] { 10 }, new Activation[] { SIGMOID }, IDENTITY));
        models.add(ReferenceModel.mlp(r, 10, 14, List.of(USER, ITEM), new int[] { 9, 7 }, new Activation[] { IDENTITY, RELU }, TANH));
        models.add(ReferenceModel.neumf(r, 32, 32, 16, new int[] { 32, 16 }, new Activation[] { RELU, RELU }, SIGMOID));
        models.add(ReferenceModel.neumf(r, 24, 20, 8, new int[] { 12 }, new Activation[] { TANH }, IDENTITY));
        return models;
    }

    @Test
    void javaNd4jAndReferenceAgreeForEveryTypeAndBatchSize() {
        SplittableRandom r = new SplittableRandom(20261123);
        for (ReferenceModel ref : models(r)) {
            ModelBundle bundle = ref.bundle();
            ScoringModel java = bundle.compile(ModelBundle.NEVER_ND4J);
            ScoringModel nd4j = bundle.compile(1);
            for (int n : BATCHES) {
                float[] user = ReferenceModel.random(r, ref.userDims, 1);
                float[][] items = new float[n + 2][];
                for (int i = 0; i < items.length; i++) {
                    items[i] = ReferenceModel.random(r, ref.itemDims, 1);
                }
                float[] javaOut = new float[n + 1];
                float[] nd4jOut = new float[n + 1];
                javaOut[n] = nd4jOut[n] = 42f; // only `count` outputs may be written
                java.score(user, items, n, javaOut);
                nd4j.score(user, items, n, nd4jOut);
                boolean neural = ref.type.equals("mlp") || ref.type.equals("neumf");
                assertEquals(neural && n >= NeuralModel.SIMD_FROM ? "java-simd" : "java", java.kernelFor(n), ref.toString());
                assertEquals(neural ? "nd4j" : "java", nd4j.kernelFor(n), ref.toString());
                for (int i = 0; i < n; i++) {
                    double expected = ref.score(user, items[i]);
                    String where = ref + " n=" + n + " i=" + i;
                    assertClose(expected, javaOut[i], "java batch " + where);
                    assertClose(expected, nd4jOut[i], "nd4j batch " + where);
                    assertClose(expected, java.score(user, items[i]), "java single " + where);
                }
                assertEquals(42f, javaOut[n]);
                assertEquals(42f, nd4jOut[n]);
                assertNull(nd4j.nd4jFailure());
            }
        }
    }

    @Test
    void theSimdKernelScoresRightWhenTheItemFeaturesItReadsFormSeveralRuns() {
        SplittableRandom r = new SplittableRandom(20261203);
        ReferenceModel ref = ReferenceModel.mlp(r, 12, 20, List.of(USER, ITEM), new int[] { 40, 8 }, new Activation[] { RELU, TANH }, SIGMOID);
        ReferenceModel.Layer first = ref.layers.get(0);
        int[] unread = { 0, 3, 4, 9, 15, 16, 17, 18, 19 }; // item features: read ones form the runs 1-2, 5-8, 10-14
        for (int k : unread) {
            for (int o = 0; o < first.outputs(); o++) {
                first.weights()[o * first.inputs() + ref.userDims + k] = 0f;
            }
        }
        ScoringModel simd = ref.bundle().compile(ModelBundle.NEVER_ND4J);
        for (int n : new int[] { 4, 8, 9, 17, 100 }) {
            float[] user = ReferenceModel.random(r, ref.userDims, 1);
            float[][] items = new float[n][];
            for (int i = 0; i < n; i++) {
                items[i] = ReferenceModel.random(r, ref.itemDims, 1);
            }
            float[] out = new float[n];
            simd.score(user, items, n, out);
            assertEquals("java-simd", simd.kernelFor(n));
            for (int i = 0; i < n; i++) {
                assertClose(ref.score(user, items[i]), out[i], "n=" + n + " i=" + i);
            }
        }
    }

    @Test
    void aManyUserCallNamesTheKernelEachUsersBatchRunsOn() {
        ScoringModel jvm = RandomModels.mlp(8, new int[] { 8 }, 3).compile(ModelBundle.NEVER_ND4J);
        int few = NeuralModel.SIMD_FROM - 1;
        // on the JVM each user's items are one batch: too few items for the SIMD kernel, however many users
        assertEquals(ScoringModel.JAVA_KERNEL, jvm.kernelFor(8, few));
        assertEquals(ScoringModel.SIMD_KERNEL, jvm.kernelFor(8 * few));
        assertEquals(ScoringModel.SIMD_KERNEL, jvm.kernelFor(2, NeuralModel.SIMD_FROM));
        // ND4J takes the whole call as one batch of users × items
        ScoringModel nd4j = RandomModels.mlp(8, new int[] { 8 }, 3).compile(12);
        assertEquals(ScoringModel.ND4J_KERNEL, nd4j.kernelFor(4, few));
        assertEquals(ScoringModel.SIMD_KERNEL, nd4j.kernelFor(1, NeuralModel.SIMD_FROM));
    }

    @Test
    void manyUsersInOneCallEqualTheReferenceForEveryType() {
        SplittableRandom r = new SplittableRandom(20261202);
        for (ReferenceModel ref : models(r)) {
            ModelBundle bundle = ref.bundle();
            for (ScoringModel model : List.of(bundle.compile(ModelBundle.NEVER_ND4J), bundle.compile(1))) {
                for (int users : new int[] { 1, 3, 17 }) {
                    int n = 40;
                    float[][] us = new float[users][];
                    for (int u = 0; u < users; u++) {
                        us[u] = ReferenceModel.random(r, ref.userDims, 1);
                    }
                    float[][] items = new float[n][];
                    for (int i = 0; i < n; i++) {
                        items[i] = ReferenceModel.random(r, ref.itemDims, 1);
                    }
                    float[][] out = new float[users][n];
                    model.score(us, items, n, out);
                    for (int u = 0; u < users; u++) {
                        for (int i = 0; i < n; i++) {
                            assertClose(ref.score(us[u], items[i]), out[u][i], ref + " " + model.kernelFor(users, n) + " u=" + u + " i=" + i);
                        }
                    }
                    assertNull(model.nd4jFailure());
                }
            }
        }
    }

    @Test
    void theDeviceKernelComputesTheSameScoresOnTheCpuBackend() {
        // The kernel the CUDA backend runs is plain ND4J array code: proven here on the CPU backend, for one user and many.
        SplittableRandom r = new SplittableRandom(77);
        for (ReferenceModel ref : models(r)) {
            if (ref.type.equals("mlp") == false && ref.type.equals("neumf") == false) {
                continue;
            }
            ModelBundle bundle = ref.bundle();
            Network network = NetworkFactory.build(headerOf(bundle), blocksOf(bundle));
            Nd4jDeviceNetworkKernel kernel = new Nd4jDeviceNetworkKernel(network);
            int n = 33;
            float[][] items = new float[n][];
            for (int i = 0; i < n; i++) {
                items[i] = ReferenceModel.random(r, ref.itemDims, 1);
            }
            float[][] users = { ReferenceModel.random(r, ref.userDims, 1), ReferenceModel.random(r, ref.userDims, 1), ReferenceModel.random(r, ref.userDims, 1) };
            NetworkScratch[] folds = new NetworkScratch[users.length];
            for (int u = 0; u < users.length; u++) {
                folds[u] = new NetworkScratch(network);
                folds[u].prepare(users[u]);
            }
            float[][] many = new float[users.length][n];
            kernel.score(folds, items, n, many);
            float[] one = new float[n];
            kernel.score(folds[1], items, n, one);
            for (int i = 0; i < n; i++) {
                for (int u = 0; u < users.length; u++) {
                    assertClose(ref.score(users[u], items[i]), many[u][i], ref + " device u=" + u + " i=" + i);
                }
                assertClose(ref.score(users[1], items[i]), one[i], ref + " device single i=" + i);
            }
        }
    }

    @Test
    void theAutomaticCrossoverFollowsTheKernelsThisJvmHas() {
        ModelBundle bundle = RandomModels.mlp(16, new int[] { 8 }, 1);
        ScoringModel model = bundle.compile();
        assertEquals("cpu", NativeBackend.placement().kernel().name().toLowerCase(java.util.Locale.ROOT), "ND4J's CPU backend is loaded");
        assertEquals("java", model.kernelFor(NeuralModel.SIMD_FROM - 1), "batches too small for the SIMD kernel go item by item");
        assertEquals("java-simd", model.kernelFor(ModelBundle.SIMD_CROSSOVER - 1));
        assertEquals("nd4j", model.kernelFor(ModelBundle.SIMD_CROSSOVER));
        Network network = NetworkFactory.build(headerOf(bundle), blocksOf(bundle));
        NeuralModel withoutVectorApi = new NeuralModel(ModelType.MLP, network, ModelBundle.AUTO_CROSSOVER, new Nd4jNetworkKernel(network), false);
        assertEquals("java", withoutVectorApi.kernelFor(ModelBundle.ITEM_BY_ITEM_CROSSOVER - 1));
        assertEquals("nd4j", withoutVectorApi.kernelFor(ModelBundle.ITEM_BY_ITEM_CROSSOVER), "item by item, ND4J takes batches early");
        assertEquals("java-simd", bundle.compile(100).kernelFor(99), "an explicit crossover is kept");
        assertEquals("nd4j", bundle.compile(100).kernelFor(100));
        assertEquals("java", ModelBundle.dot(16).compile().kernelFor(100_000), "dot and cosine always run on the JVM");
        assertEquals("java-simd", RandomModels.mlp(16, new int[] { 8 }, 1).compile(ModelBundle.NEVER_ND4J).kernelFor(100_000));
        assertEquals("java-simd", ModelBundle.jvmBatchKernel());
        assertThrows(IllegalArgumentException.class, () -> ModelBundle.dot(4).compile(-1));
    }

    @Test
    void scoresDoNotDependOnWhatTheThreadScoredBefore() {
        // The user fold is cached per thread; switching users and models must never reuse a stale fold.
        SplittableRandom r = new SplittableRandom(5);
        ReferenceModel ref = ReferenceModel.neumf(r, 16, 16, 8, new int[] { 8 }, new Activation[] { RELU }, IDENTITY);
        ScoringModel model = ref.bundle().compile();
        float[] a = ReferenceModel.random(r, 16, 1);
        float[] b = ReferenceModel.random(r, 16, 1);
        float[] item = ReferenceModel.random(r, 16, 1);
        for (int rep = 0; rep < 3; rep++) {
            assertClose(ref.score(a, item), model.score(a, item), "user a");
            assertClose(ref.score(b, item), model.score(b, item), "user b");
        }
        float[] mutable = a.clone();
        model.score(mutable, item);
        mutable[3] += 0.5f; // same array, new contents
        assertClose(ref.score(mutable, item), model.score(mutable, item), "mutated user");
    }

    @Test
    void wrongDimensionsAreRefusedWithTheirSizes() {
        ScoringModel model = RandomModels.mlp(8, new int[] { 4 }, 2).compile(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.score(new float[7], new float[8]));
        assertEquals("the user vector has 7 dimensions but the model expects 8", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.score(new float[8], new float[][] { new float[8], new float[9] }, 2, new float[2]));
        assertEquals("items[1] has 9 dimensions but the model expects 8", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelBundle.dot(8).compile().score(new float[8], new float[3]));
        assertEquals("the item vector has 3 dimensions but the model expects 8", e.getMessage());
        model.score(new float[8], new float[0][], 0, new float[0]); // an empty batch is fine
    }

    @Test
    void anNd4jFailureFallsBackToJavaAndSwitchesNd4jOff() {
        SplittableRandom r = new SplittableRandom(9);
        ReferenceModel ref = ReferenceModel.mlp(r, 12, 12, List.of(USER, ITEM, PRODUCT), new int[] { 6 }, new Activation[] { RELU }, IDENTITY);
        ModelBundle bundle = ref.bundle();
        NeuralModel model = new NeuralModel(
            ModelType.MLP,
            NetworkFactory.build(headerOf(bundle), blocksOf(bundle)),
            1,
            new NetworkBatchKernel() {
                @Override
                public void score(NetworkScratch scratch, float[][] items, int count, float[] out) {
                    throw new UnsatisfiedLinkError("no libnd4jcpu for you");
                }

                @Override
                public void score(NetworkScratch[] folds, float[][] items, int count, float[][] out) {
                    throw new UnsatisfiedLinkError("no libnd4jcpu for you");
                }
            },
            true
        );
        assertEquals("nd4j", model.kernelFor(10));
        float[] user = ReferenceModel.random(r, 12, 1);
        float[][] items = { ReferenceModel.random(r, 12, 1), ReferenceModel.random(r, 12, 1) };
        float[] out = new float[2];
        model.score(user, items, 2, out);
        for (int i = 0; i < 2; i++) {
            assertClose(ref.score(user, items[i]), out[i], "fallback " + i);
        }
        assertEquals("java-simd", model.kernelFor(10), "after an ND4J failure batches stay on the JVM");
        assertEquals("java.lang.UnsatisfiedLinkError: no libnd4jcpu for you", model.nd4jFailure());
        float[][] many = new float[2][2];
        model.score(new float[][] { user, items[0] }, items, 2, many);
        for (int i = 0; i < 2; i++) {
            assertClose(ref.score(items[0], items[i]), many[1][i], "fallback, second user " + i);
        }
    }

    @Test
    void memoryBytesCountsTheWeights() {
        ScoringModel mlp = RandomModels.mlp(64, new int[] { 128, 64 }, 3).compile();
        long weights = 4L * (192 * 128 + 128 + 128 * 64 + 64 + 64 + 1);
        assertTrue(mlp.memoryBytes() >= weights, mlp.memoryBytes() + " < " + weights);
        assertTrue(mlp.memoryBytes() < 4 * weights, "an estimate, not a multiple: " + mlp.memoryBytes());
        // the SIMD kernel's transposed copy of the layers after the first (128→64, 64→1) counts too
        long jvmOnly = RandomModels.mlp(64, new int[] { 128, 64 }, 3).compile(ModelBundle.NEVER_ND4J).memoryBytes();
        assertTrue(jvmOnly >= weights + 4L * (128 * 64 + 64 + 64), jvmOnly + " leaves out the SIMD kernel's weights");
        assertEquals(0, ModelBundle.cosine(64).compile().memoryBytes());
    }

    static ModelHeader headerOf(ModelBundle bundle) {
        byte[] bytes = bundle.toBytes();
        BundleCodec.Frame frame = BundleCodec.readFrame(bytes);
        return HeaderJson.read(bytes, frame.headerOffset(), frame.headerLength());
    }

    static List<float[]> blocksOf(ModelBundle bundle) {
        byte[] bytes = bundle.toBytes();
        return BundleCodec.readBlocks(bytes, BundleCodec.readFrame(bytes), headerOf(bundle).blocks());
    }

    static void assertClose(double expected, float actual, String message) {
        double tolerance = 1e-5 * Math.max(1, Math.abs(expected));
        if (Math.abs(expected - actual) > tolerance) {
            throw new AssertionError(message + ": expected " + expected + " but was " + actual + " (|diff| " + Math.abs(expected - actual) + ")");
        }
    }
}
