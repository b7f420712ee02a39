package org.recommender.core.model;

import org.recommender.core.compute.NativeBackend;
import org.recommender.core.compute.Placement;
import org.recommender.core.compute.VectorApi;
import org.recommender.core.scoring.JavaNetworkKernel;
import org.recommender.core.scoring.Nd4jDeviceNetworkKernel;
import org.recommender.core.scoring.Nd4jNetworkKernel;
import org.recommender.core.scoring.Network;
import org.recommender.core.scoring.NetworkBatchKernel;
import org.recommender.core.scoring.NetworkScratch;
import org.recommender.core.scoring.SimdNetworkKernel;

/**
 * A compiled {@code mlp} or {@code neumf} model: one {@link Network} and the kernels that evaluate it. Batches
 * of at least the crossover go to ND4J — the CPU kernel on ND4J's CPU backend, the device kernel on its CUDA
 * backend, as {@link NativeBackend#placement()} decides; everything else, and every batch after an ND4J failure,
 * runs on the JVM: the SIMD kernel from {@link #SIMD_FROM} items when the JVM has the Vector API, else item by item.
 * An {@link ModelBundle#AUTO_CROSSOVER automatic} crossover follows the kernels available at each call.
 */
final class NeuralModel implements ScoringModel {
    /** The smallest batch the SIMD kernel scores: it works on groups of four items, so smaller ones go item by item. */
    static final int SIMD_FROM = 4;

    private final ModelType type;
    private final Network network;
    private final JavaNetworkKernel java;
    private final NetworkBatchKernel simd; // null without the Vector API
    private final long simdBytes;
    private final NetworkBatchKernel nd4j;
    private final NetworkBatchKernel device;
    private final long nd4jBytes;
    private final int crossover;
    private final ThreadLocal<NetworkScratch> scratch;
    private volatile String nd4jFailure;

    /**
     * @param crossover the smallest batch scored with ND4J, or {@link ModelBundle#AUTO_CROSSOVER};
     *     {@link ModelBundle#NEVER_ND4J} never uses it
     */
    NeuralModel(ModelType type, Network network, int crossover) {
        this(type, network, crossover, new Nd4jNetworkKernel(network), VectorApi.present());
    }

    /**
     * @param nd4j the CPU batch kernel used from the crossover on (tests substitute one that fails)
     * @param withSimd whether to use the SIMD kernel; only true when {@link VectorApi#present()} (tests pass false
     *     to see a JVM without the Vector API)
     */
    NeuralModel(ModelType type, Network network, int crossover, NetworkBatchKernel nd4j, boolean withSimd) {
        this.type = type;
        this.network = network;
        this.java = new JavaNetworkKernel(network);
        if (withSimd) {
            SimdNetworkKernel kernel = new SimdNetworkKernel(network);
            this.simd = kernel;
            this.simdBytes = kernel.memoryBytes();
        } else {
            this.simd = null;
            this.simdBytes = 0;
        }
        this.nd4j = nd4j;
        this.device = new Nd4jDeviceNetworkKernel(network);
        this.nd4jBytes = crossover == ModelBundle.NEVER_ND4J ? 0 : Nd4jNetworkKernel.offHeapBytes(network);
        this.crossover = crossover;
        this.scratch = ThreadLocal.withInitial(() -> new NetworkScratch(network));
    }

    @Override
    public String type() {
        return type.externalName();
    }

    @Override
    public int userDims() {
        return network.userDims();
    }

    @Override
    public int itemDims() {
        return network.itemDims();
    }

    @Override
    public long memoryBytes() {
        return network.memoryBytes() + nd4jBytes + simdBytes;
    }

    @Override
    public float score(float[] user, float[] item) {
        DimensionCheck.user(user, network.userDims());
        DimensionCheck.item(item, network.itemDims());
        NetworkScratch s = scratch.get();
        s.prepare(user);
        return FiniteScores.of(java.score(s, item));
    }

    @Override
    public void score(float[] user, float[][] items, int count, float[] out) {
        DimensionCheck.batch(user, network.userDims(), items, count, out, network.itemDims());
        if (count == 0) {
            return;
        }
        NetworkScratch s = scratch.get();
        s.prepare(user);
        if (useNd4j(count)) {
            try {
                batchKernel().score(s, items, count, out);
                FiniteScores.of(out, count);
                return;
            } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                // A native failure must cost this request nothing but speed: record it, stop using ND4J for this
                // model (a broken backend would fail every call), and score on the JVM.
                nd4jFailure = e.getClass().getName() + ": " + e.getMessage();
            }
        }
        jvmBatch(s, items, count, out);
    }

    private void jvmBatch(NetworkScratch s, float[][] items, int count, float[] out) {
        if (useSimd(count)) {
            simd.score(s, items, count, out);
        } else {
            java.score(s, items, count, out);
        }
        FiniteScores.of(out, count);
    }

    @Override
    public void score(float[][] users, float[][] items, int count, float[][] out) {
        DimensionCheck.users(users, out);
        if (users.length == 1) {
            score(users[0], items, count, out[0]);
            return;
        }
        for (int u = 0; u < users.length; u++) {
            DimensionCheck.batch(users[u], network.userDims(), items, count, out[u], network.itemDims());
        }
        if (count == 0 || users.length == 0) {
            return;
        }
        if (useNd4j(users.length * count)) {
            NetworkScratch[] folds = new NetworkScratch[users.length];
            for (int u = 0; u < users.length; u++) {
                folds[u] = new NetworkScratch(network);
                folds[u].prepare(users[u]);
            }
            try {
                batchKernel().score(folds, items, count, out);
                for (float[] scores : out) {
                    FiniteScores.of(scores, count);
                }
                return;
            } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                nd4jFailure = e.getClass().getName() + ": " + e.getMessage();
            }
        }
        NetworkScratch s = scratch.get();
        for (int u = 0; u < users.length; u++) {
            s.prepare(users[u]);
            jvmBatch(s, items, count, out[u]);
        }
    }

    @Override
    public String kernelFor(int count) {
        if (useNd4j(count) == false) {
            return useSimd(count) ? SIMD_KERNEL : JAVA_KERNEL;
        }
        return NativeBackend.placement().kernel() == Placement.Kernel.GPU ? GPU_KERNEL : ND4J_KERNEL;
    }

    @Override
    public String kernelFor(int users, int count) {
        if (users > 1 && useNd4j(users * count) == false) {
            return useSimd(count) ? SIMD_KERNEL : JAVA_KERNEL; // one JVM batch per user, each of count items
        }
        return kernelFor(users * count);
    }

    private NetworkBatchKernel batchKernel() {
        return NativeBackend.placement().kernel() == Placement.Kernel.GPU ? device : nd4j;
    }

    @Override
    public String nd4jFailure() {
        return nd4jFailure;
    }

    private boolean useSimd(int count) {
        return simd != null && count >= SIMD_FROM;
    }

    private boolean useNd4j(int count) {
        Placement.Kernel placement = NativeBackend.placement().kernel();
        return count >= crossover(placement) && nd4jFailure == null && placement != Placement.Kernel.JVM;
    }

    private int crossover(Placement.Kernel placement) {
        if (crossover != ModelBundle.AUTO_CROSSOVER) {
            return crossover;
        }
        // the SIMD kernel keeps pace with ND4J's CPU backend up to large windows; item by item, or against a GPU, it does not
        return simd != null && placement == Placement.Kernel.CPU ? ModelBundle.SIMD_CROSSOVER : ModelBundle.ITEM_BY_ITEM_CROSSOVER;
    }
}
