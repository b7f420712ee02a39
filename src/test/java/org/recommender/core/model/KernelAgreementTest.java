package org.recommender.core.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recommender.core.compute.BackendReport;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.Kernel;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.core.scoring.Nd4jNetworkKernel;
import org.recommender.core.scoring.Network;
import org.recommender.core.scoring.NetworkKernel;
import org.recommender.core.scoring.NetworkKernels;
import org.recommender.core.scoring.NetworkScratch;
import org.recommender.core.scoring.ScratchPool;
import org.recommender.core.scoring.Workspaces;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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
 * Every kernel the {@link KernelProvider} builds (item by item, SIMD batches, ND4J on the CPU, and the device kernel,
 * run here on ND4J's CPU backend) and an independent double-precision reference agree on random models of every
 * type; the provider names the kernel each call's shape gets.
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
            ScoringModel java = bundle.compile(KernelProvider.jvmOnly());
            ScoringModel nd4j = bundle.compile(KernelProvider.withCrossover(1));
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
                assertEquals(neural && n >= KernelProvider.SIMD_FROM ? Kernel.SIMD : Kernel.JAVA, java.kernelFor(n), ref.toString());
                assertEquals(neural ? Kernel.ND4J : Kernel.JAVA, nd4j.kernelFor(n), ref.toString());
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
        ScoringModel simd = ref.bundle().compile(KernelProvider.jvmOnly());
        for (int n : new int[] { 4, 8, 9, 17, 100 }) {
            float[] user = ReferenceModel.random(r, ref.userDims, 1);
            float[][] items = new float[n][];
            for (int i = 0; i < n; i++) {
                items[i] = ReferenceModel.random(r, ref.itemDims, 1);
            }
            float[] out = new float[n];
            simd.score(user, items, n, out);
            assertEquals(Kernel.SIMD, simd.kernelFor(n));
            for (int i = 0; i < n; i++) {
                assertClose(ref.score(user, items[i]), out[i], "n=" + n + " i=" + i);
            }
        }
    }

    @Test
    void aManyUserCallNamesTheKernelEachUsersBatchRunsOn() {
        ScoringModel jvm = RandomModels.mlp(8, new int[] { 8 }, 3).compile(KernelProvider.jvmOnly());
        int few = KernelProvider.SIMD_FROM - 1;
        // on the JVM each user's items are one batch: too few items for the SIMD kernel, however many users
        assertEquals(Kernel.JAVA, jvm.kernelFor(8, few));
        assertEquals(Kernel.SIMD, jvm.kernelFor(8 * few));
        assertEquals(Kernel.SIMD, jvm.kernelFor(2, KernelProvider.SIMD_FROM));
        // ND4J takes the whole call as one batch of users × items
        ScoringModel nd4j = RandomModels.mlp(8, new int[] { 8 }, 3).compile(KernelProvider.withCrossover(12));
        assertEquals(Kernel.ND4J, nd4j.kernelFor(4, few));
        assertEquals(Kernel.SIMD, nd4j.kernelFor(1, KernelProvider.SIMD_FROM));
    }

    @Test
    void manyUsersInOneCallEqualTheReferenceForEveryType() {
        SplittableRandom r = new SplittableRandom(20261202);
        for (ReferenceModel ref : models(r)) {
            ModelBundle bundle = ref.bundle();
            for (ScoringModel model : List.of(bundle.compile(KernelProvider.jvmOnly()), bundle.compile(KernelProvider.withCrossover(1)))) {
                for (int users : new int[] { 1, 3, 17 }) {
                    assertManyUsersEqualTheReference(r, ref, model, users, 40);
                }
            }
        }
    }

    /**
     * A many-user call whose arrays would exceed {@link Nd4jNetworkKernel#CALL_BYTES_CAP} runs in chunks of items, and
     * in groups of users where their folds alone would; every pair, across the seams (the last chunk or group
     * partial), equals the double-precision reference.
     */
    @Test
    void aNativeCallAboveTheMemoryCapIsScoredInChunksThatEqualTheReference() {
        SplittableRandom r = new SplittableRandom(20261207);
        int users = 128;
        int n = 1500;
        for (ReferenceModel ref : List.of(
            ReferenceModel.mlp(r, 24, 24, List.of(USER, ITEM, PRODUCT), new int[] { 64, 32 }, new Activation[] { RELU, TANH }, IDENTITY),
            ReferenceModel.neumf(r, 32, 32, 16, new int[] { 64, 32 }, new Activation[] { RELU, RELU }, SIGMOID)
        )) {
            // at least the items, a 1 per pair and the 64 + 32 outputs of every pair: above the cap, so several chunks
            assertTrue(4L * n * (ref.itemDims + users * (1 + 64 + 32)) > 2 * Nd4jNetworkKernel.CALL_BYTES_CAP);
            ScoringModel nd4j = ref.bundle().compile(KernelProvider.withCrossover(1));
            assertEquals(Kernel.ND4J, nd4j.kernelFor(users, n));
            assertManyUsersEqualTheReference(r, ref, nd4j, users, n);
        }
        // users whose folded first layers (1,024 × 513 floats each) together exceed the cap: scored in groups of users
        ReferenceModel wide = ReferenceModel.mlp(r, 16, 512, List.of(USER, ITEM), new int[] { 1024 }, new Activation[] { RELU }, IDENTITY);
        assertTrue(4L * 20 * 1024 * 513 > Nd4jNetworkKernel.CALL_BYTES_CAP);
        assertManyUsersEqualTheReference(r, wide, wide.bundle().compile(KernelProvider.withCrossover(1)), 20, 50);
    }

    /** One call of {@code model} for {@code users} random users × {@code n} random items; every pair equals the reference. */
    private static void assertManyUsersEqualTheReference(SplittableRandom r, ReferenceModel ref, ScoringModel model, int users, int n) {
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

    @Test
    void everyKernelTheProviderBuildsEqualsTheReferenceForOneUserAndMany() {
        // The device kernel is plain ND4J array code, the code the CUDA backend runs: proven here on the CPU backend.
        SplittableRandom r = new SplittableRandom(77);
        for (KernelProvider provider : List.of(KernelProvider.withCrossover(1), KernelProvider.withCrossover(1).withoutVectorApi())) {
            Set<Kernel> seen = EnumSet.noneOf(Kernel.class);
            for (ReferenceModel ref : models(r)) {
                if (ref.type.equals("mlp") == false && ref.type.equals("neumf") == false) {
                    continue;
                }
                ModelBundle bundle = ref.bundle();
                Network network = NetworkFactory.build(headerOf(bundle), blocksOf(bundle));
                int n = 33;
                float[][] items = new float[n][];
                for (int i = 0; i < n; i++) {
                    items[i] = ReferenceModel.random(r, ref.itemDims, 1);
                }
                float[][] users = new float[4][];
                NetworkScratch[] folds = new NetworkScratch[users.length];
                for (int u = 0; u < users.length; u++) {
                    users[u] = ReferenceModel.random(r, ref.userDims, 1);
                    folds[u] = new NetworkScratch(network);
                    folds[u].prepare(users[u]);
                }
                for (NetworkKernel kernel : provider.networkKernels(network).all()) {
                    seen.add(kernel.kernel());
                    float[][] many = new float[users.length][n];
                    kernel.score(folds, 3, items, n, many); // a pooled array may hold more folds than users
                    float[] one = new float[n + 1];
                    one[n] = 42f; // only `count` outputs may be written
                    kernel.score(folds[1], items, n, one);
                    for (int i = 0; i < n; i++) {
                        for (int u = 0; u < 3; u++) {
                            assertClose(ref.score(users[u], items[i]), many[u][i], ref + " " + kernel.kernel() + " u=" + u + " i=" + i);
                        }
                        assertEquals(0f, many[3][i], "the fourth fold is not one of the call's users");
                        assertClose(ref.score(users[1], items[i]), one[i], ref + " " + kernel.kernel() + " single i=" + i);
                    }
                    assertEquals(42f, one[n]);
                }
            }
            Set<Kernel> expected = provider.jvmBatchKernel() == Kernel.SIMD ? EnumSet.allOf(Kernel.class) : EnumSet.complementOf(EnumSet.of(Kernel.SIMD));
            assertEquals(expected, seen, provider.toString());
        }
    }

    @Test
    void theAutomaticCrossoverFollowsTheKernelsThisJvmHas() {
        ModelBundle bundle = RandomModels.mlp(16, new int[] { 8 }, 1);
        ScoringModel model = bundle.compile();
        assertEquals(Kernel.ND4J, KernelProvider.auto().placement().kernel(), "ND4J's CPU backend is loaded");
        assertEquals("cpu", KernelProvider.auto().placement().kernel().site());
        assertEquals(Kernel.JAVA, model.kernelFor(KernelProvider.SIMD_FROM - 1), "batches too small for the SIMD kernel go item by item");
        assertEquals(Kernel.SIMD, model.kernelFor(KernelProvider.SIMD_CROSSOVER - 1));
        assertEquals(Kernel.ND4J, model.kernelFor(KernelProvider.SIMD_CROSSOVER));
        ScoringModel withoutVectorApi = bundle.compile(KernelProvider.auto().withoutVectorApi());
        assertEquals(Kernel.JAVA, withoutVectorApi.kernelFor(KernelProvider.ITEM_BY_ITEM_CROSSOVER - 1));
        assertEquals(Kernel.ND4J, withoutVectorApi.kernelFor(KernelProvider.ITEM_BY_ITEM_CROSSOVER), "item by item, ND4J takes batches early");
        assertEquals(Kernel.SIMD, bundle.compile(KernelProvider.withCrossover(100)).kernelFor(99), "an explicit crossover is kept");
        assertEquals(Kernel.ND4J, bundle.compile(KernelProvider.withCrossover(100)).kernelFor(100));
        assertEquals(Kernel.ND4J, bundle.compile(KernelProvider.withCrossover(100)).kernelFor(25, 4), "the crossover counts users × items");
        assertEquals(Kernel.JAVA, ModelBundle.dot(16).compile().kernelFor(100_000), "dot and cosine always run on the JVM");
        assertEquals(Kernel.JAVA, ModelBundle.dot(16).compile(KernelProvider.withCrossover(1)).kernelFor(50, 100));
        assertEquals(Kernel.SIMD, RandomModels.mlp(16, new int[] { 8 }, 1).compile(KernelProvider.jvmOnly()).kernelFor(100_000));
        assertEquals(Kernel.SIMD, KernelProvider.auto().jvmBatchKernel());
        assertEquals(Kernel.JAVA, KernelProvider.auto().withoutVectorApi().jvmBatchKernel());
        assertThrows(IllegalArgumentException.class, () -> KernelProvider.withCrossover(-1));
    }

    @Test
    void kernelNamesUsersSeeAreUnchanged() {
        // stats counters, node stats and benchmarks print these; renaming an enum constant must not change them
        assertEquals(List.of("java", "java-simd", "nd4j", "nd4j-gpu"), java.util.Arrays.stream(Kernel.values()).map(Kernel::externalName).toList());
        assertEquals(List.of("jvm", "jvm", "cpu", "gpu"), java.util.Arrays.stream(Kernel.values()).map(Kernel::site).toList());
        assertEquals("java-simd", Kernel.SIMD.toString(), "messages name kernels as users see them");
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
        ScoringModel model = RandomModels.mlp(8, new int[] { 4 }, 2).compile(KernelProvider.withCrossover(1));
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
        Network network = NetworkFactory.build(headerOf(bundle), blocksOf(bundle));
        KernelProvider provider = KernelProvider.withCrossover(1);
        NetworkKernels failing = provider.networkKernels(network).with(new NetworkKernel() {
            @Override
            public void score(NetworkScratch scratch, float[][] items, int count, float[] out) {
                throw new UnsatisfiedLinkError("no libnd4jcpu for you");
            }

            @Override
            public void score(NetworkScratch[] folds, int users, float[][] items, int count, float[][] out) {
                throw new UnsatisfiedLinkError("no libnd4jcpu for you");
            }

            @Override
            public Kernel kernel() {
                return Kernel.ND4J;
            }
        });
        NeuralModel model = new NeuralModel(ModelType.MLP, network, provider, failing);
        assertEquals(Kernel.ND4J, model.kernelFor(10));
        float[] user = ReferenceModel.random(r, 12, 1);
        float[][] items = { ReferenceModel.random(r, 12, 1), ReferenceModel.random(r, 12, 1) };
        float[] out = new float[2];
        model.score(user, items, 2, out);
        for (int i = 0; i < 2; i++) {
            assertClose(ref.score(user, items[i]), out[i], "fallback " + i);
        }
        assertEquals(Kernel.SIMD, model.kernelFor(10), "after an ND4J failure batches stay on the JVM");
        assertEquals(Kernel.SIMD, model.kernelFor(5, 10), "many users too");
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
        // plus the scratch it may keep between calls: per retained workspace, folds and native staging
        Network network = NetworkFactory.build(headerOf(RandomModels.mlp(64, new int[] { 128, 64 }, 3)), blocksOf(RandomModels.mlp(64, new int[] { 128, 64 }, 3)));
        long kept = Workspaces.retainedBytes(ScratchPool.maxBytes(network) + NetworkKernels.KEPT_STAGING_BYTES);
        assertTrue(mlp.memoryBytes() >= weights + kept, mlp.memoryBytes() + " leaves out kept scratch " + kept);
        assertTrue(mlp.memoryBytes() < 4 * weights + kept, "an estimate, not a multiple: " + mlp.memoryBytes());
        // the SIMD kernel's transposed copy of the layers after the first (128→64, 64→1) counts too
        long jvmOnly = RandomModels.mlp(64, new int[] { 128, 64 }, 3).compile(KernelProvider.jvmOnly()).memoryBytes();
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
