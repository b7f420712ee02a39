package org.recommender.core.model;

import org.recommender.core.scoring.JavaNetworkKernel;
import org.recommender.core.scoring.Kernel;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.core.scoring.NativeMemoryRefusedException;
import org.recommender.core.scoring.Network;
import org.recommender.core.scoring.NetworkKernels;
import org.recommender.core.scoring.NetworkScratch;
import org.recommender.core.scoring.ScratchPool;
import org.recommender.core.scoring.Workspaces;

/**
 * A compiled {@code mlp} or {@code neumf} model: one {@link Network} and the kernels that evaluate it. Which kernel
 * scores a call is the {@link KernelProvider}'s choice; the model only runs it, and remembers when a native kernel
 * failed, after which every call stays on the JVM (a call refused for want of native memory,
 * {@link NativeMemoryRefusedException}, runs on the JVM without that). Scratch is pooled per model ({@link Workspaces} of
 * {@link ScratchPool}s) and counted in {@link #memoryBytes}.
 */
final class NeuralModel implements ScoringModel {
    private final ModelType type;
    private final Network network;
    private final KernelProvider provider;
    private final NetworkKernels kernels;
    private final JavaNetworkKernel java;
    private final Workspaces<ScratchPool> scratch;
    private volatile String nd4jFailure;

    /** @param provider chooses the kernel for each call, and builds them */
    NeuralModel(ModelType type, Network network, KernelProvider provider) {
        this(type, network, provider, provider.networkKernels(network));
    }

    /** @param kernels the kernels to run (tests substitute a native one that fails) */
    NeuralModel(ModelType type, Network network, KernelProvider provider, NetworkKernels kernels) {
        this.type = type;
        this.network = network;
        this.provider = provider;
        this.kernels = kernels;
        this.java = (JavaNetworkKernel) kernels.get(Kernel.JAVA);
        this.scratch = new Workspaces<>(() -> new ScratchPool(network));
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
    public long itemWork() {
        return network.itemWork();
    }

    @Override
    public long memoryBytes() {
        return network.memoryBytes() + kernels.memoryBytes() + Workspaces.retainedBytes(ScratchPool.maxBytes(network));
    }

    @Override
    public float score(float[] user, float[] item) {
        DimensionCheck.user(user, network.userDims());
        DimensionCheck.item(item, network.itemDims());
        ScratchPool pool = scratch.take();
        try {
            NetworkScratch s = pool.single();
            s.prepare(user);
            return FiniteScores.of(java.score(s, item));
        } finally {
            scratch.give(pool);
        }
    }

    @Override
    public void score(float[] user, float[][] items, int count, float[] out) {
        DimensionCheck.batch(user, network.userDims(), items, count, out, network.itemDims());
        if (count == 0) {
            return;
        }
        ScratchPool pool = scratch.take();
        try {
            scoreOne(pool.single(), user, items, count, out);
        } finally {
            scratch.give(pool);
        }
    }

    private void scoreOne(NetworkScratch s, float[] user, float[][] items, int count, float[] out) {
        s.prepare(user);
        Kernel kernel = kernelFor(count);
        if (kernel.isNative()) {
            try {
                kernels.get(kernel).score(s, items, count, out);
                FiniteScores.of(out, count);
                return;
            } catch (NativeMemoryRefusedException e) {
                // no room for the native workspace now: this call on the JVM, the native kernel kept for later ones
            } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                // A native failure must cost this request nothing but speed: record it, stop using ND4J for this
                // model (a broken backend would fail every call), and score on the JVM.
                nd4jFailure = e.getClass().getName() + ": " + e.getMessage();
            }
        }
        jvmBatch(s, items, count, out);
    }

    private void jvmBatch(NetworkScratch s, float[][] items, int count, float[] out) {
        kernels.get(provider.jvmKernel(count)).score(s, items, count, out);
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
        ScratchPool pool = scratch.take();
        try {
            scoreMany(pool, users, items, count, out);
        } finally {
            scratch.give(pool);
        }
    }

    private void scoreMany(ScratchPool pool, float[][] users, float[][] items, int count, float[][] out) {
        Kernel kernel = kernelFor(users.length, count);
        if (kernel.isNative()) {
            try {
                kernels.get(kernel).score(pool.folds(users), users.length, items, count, out);
                for (float[] scores : out) {
                    FiniteScores.of(scores, count);
                }
                return;
            } catch (NativeMemoryRefusedException e) {
                // as above
            } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                nd4jFailure = e.getClass().getName() + ": " + e.getMessage();
            }
        }
        NetworkScratch s = pool.single();
        for (int u = 0; u < users.length; u++) {
            s.prepare(users[u]);
            jvmBatch(s, items, count, out[u]);
        }
    }

    @Override
    public Kernel kernelFor(int count) {
        return kernelFor(1, count);
    }

    @Override
    public Kernel kernelFor(int users, int count) {
        return provider.forNetwork(users, count, nd4jFailure == null);
    }

    @Override
    public String nd4jFailure() {
        return nd4jFailure;
    }
}
