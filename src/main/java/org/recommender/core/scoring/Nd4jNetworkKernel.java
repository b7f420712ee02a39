package org.recommender.core.scoring;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a {@link Network} for a whole batch off-heap with ND4J's CPU backend: the batch's item vectors are
 * bulk-copied into one {@code count × itemDims} matrix V, and each layer is one matrix product over all rows,
 * <pre>
 *   H0 = act0(V·A(u)ᵀ + c(u)),   H_i = act_i(H_(i−1)·W_iᵀ + b_i),   score = outputActivation(H_last + V·s(u))
 * </pre>
 * with A(u), c(u), s(u) the same user fold the {@link JavaNetworkKernel} uses (taken from the caller's
 * {@link NetworkScratch}), so both kernels compute the same function. Products run in OpenBLAS ({@link CpuBlas}),
 * activations as in-place ND4J ops. Every per-call array lives in a per-thread ND4J workspace that is reset, not
 * freed, after each call, so once warm a call allocates no native memory; the layers' weights are copied off-heap
 * once per network and shared read-only by all threads.
 *
 * <p>A call has a fixed cost of a few native calls per layer (tens of microseconds), so this kernel pays off only
 * for batches; the crossover is measured in {@code docs/benchmarks.md}. CPU backend only.
 */
public final class Nd4jNetworkKernel implements NetworkKernel {
    /** Workspace id; ND4J keeps one workspace per id per thread, shared by every network that thread scores. */
    static final String WORKSPACE_ID = "recommender-network-scoring";

    /** What the workspace allocates beyond the size it learned, as a share of it. */
    static final double OVERALLOCATION = 0.25;

    /**
     * Starts empty, learns the size a call needs on the first call and keeps it; a larger batch later spills once and
     * the workspace is reallocated to the larger size at the end of that call.
     */
    static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
        .initialSize(0)
        .policyAllocation(AllocationPolicy.OVERALLOCATE)
        .overallocationLimit(OVERALLOCATION)
        .policyLearning(LearningPolicy.FIRST_LOOP)
        .policySpill(SpillPolicy.REALLOCATE)
        .build();

    /**
     * The most one call's arrays may take in the thread's workspace, which keeps the size it learned (up to 1.25× this,
     * its over-allocation) for the thread's life: a larger call is run in chunks of items, and a many-user call in
     * groups of users, that each fit. Without it a
     * wide network on a 10,000-item window made a workspace of hundreds of MB in every search thread, held by no
     * breaker. 32 MiB keeps a typical network whole: a 64-dim item, layers 256 and 128, one user is ~1.8 KB an item, so
     * ~18,000 items a chunk, above the 10,000 where this kernel takes over ({@link KernelProvider#SIMD_CROSSOVER}); a
     * chunk adds a few native calls per layer (tens of µs) to products of milliseconds.
     */
    public static final long CALL_BYTES_CAP = 32L << 20;

    /**
     * What each thread's workspace is accounted for: the workspace is per thread, and so is its account, charged to
     * the budget of the kernel that first grew it (a node has one budget). Returned to that budget when the thread has
     * gone (its workspace goes with it).
     */
    private static final ThreadLocal<Account> ACCOUNT = new ThreadLocal<>();

    /** Returns gone threads' accounts; its daemon thread starts with the first native call, when ND4J's own do. */
    private static final class GoneThreads {
        static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "recommender-nd4j-workspace-accounts");
            t.setDaemon(true);
            return t;
        });
    }

    private final Network network;
    private final NativeMemoryBudget budget;
    private volatile OffHeapWeights weights;
    // the many-user call's scores in pair order; one array per call, kept up to StagingArrays.MAX_KEPT floats
    private final Workspaces<float[][]> pairScores = new Workspaces<>(() -> new float[][] { new float[0] });

    /** @param network the network to evaluate; its weights are copied off-heap on the first call */
    public Nd4jNetworkKernel(Network network) {
        this(network, NativeMemoryBudget.NONE);
    }

    /**
     * @param network the network to evaluate; its weights are copied off-heap on the first call
     * @param budget where the growth of a thread's workspace is reserved before it happens
     */
    public Nd4jNetworkKernel(Network network, NativeMemoryBudget budget) {
        this.network = network;
        this.budget = budget;
    }

    /**
     * Scores {@code items[0..count)} into {@code out[0..count)}.
     *
     * @param scratch this thread's scratch, already {@link NetworkScratch#prepare prepared} for the user
     * @param items item vectors, each {@code itemDims} long
     * @param count how many items, at least 1
     * @param out receives the scores
     */
    @Override
    public void score(NetworkScratch scratch, float[][] items, int count, float[] out) {
        run(new NetworkScratch[] { scratch }, 1, items, count, out);
    }

    /**
     * Scores every item for every user in one pass: {@code out[u][i]} for {@code u < folds.length},
     * {@code i < count}. The users' folded first layers are stacked side by side, so the first product is one
     * {@code count × (users·rows)} matrix whose memory is already the {@code (count·users) × rows} input of the next
     * layer: every layer is one product over all user × item pairs. Users whose folds together would take more than
     * half of {@link #CALL_BYTES_CAP} are scored in groups that fit ({@link #usersPerCall}), each group's items in
     * chunks ({@link #itemsPerCall}).
     *
     * @param folds at least {@code users} scratches, each {@link NetworkScratch#prepare prepared} for its user
     * @param users how many users, at least 1
     * @param items item vectors, each {@code itemDims} long
     * @param count how many items, at least 1
     * @param out one row per user, each at least {@code count} long
     */
    @Override
    public void score(NetworkScratch[] folds, int users, float[][] items, int count, float[][] out) {
        int group = usersPerCall(network, users);
        float[][] holder = pairScores.take();
        try {
            for (int from = 0; from < users; from += group) {
                int g = Math.min(group, users - from);
                float[] flat = holder[0]; // pair (item i, user from + u) at i·g + u
                if (flat.length < count * g) {
                    flat = new float[count * g];
                    if (flat.length <= StagingArrays.MAX_KEPT) {
                        holder[0] = flat;
                    }
                }
                run(g == users ? folds : Arrays.copyOfRange(folds, from, from + g), g, items, count, flat);
                for (int u = 0; u < g; u++) {
                    float[] row = out[from + u];
                    for (int i = 0; i < count; i++) {
                        row[i] = flat[i * g + u];
                    }
                }
            }
        } finally {
            pairScores.give(holder);
        }
    }

    /**
     * Writes the score of item i for user u to {@code out[i·users + u]}, in chunks of items whose arrays fit
     * {@link #CALL_BYTES_CAP} (at least one item a chunk).
     */
    private void run(NetworkScratch[] folds, int users, float[][] items, int count, float[] out) {
        int chunk = itemsPerCall(network, users);
        if (chunk >= count) {
            runChunk(folds, users, items, count, out, 0);
            return;
        }
        for (int from = 0; from < count; from += chunk) {
            int n = Math.min(chunk, count - from);
            runChunk(folds, users, Arrays.copyOfRange(items, from, from + n), n, out, from * users);
        }
    }

    /**
     * @return how many items one call's arrays may hold for {@code users} users within {@link #CALL_BYTES_CAP}, at
     *     least 1: what {@link #runChunk} allocates is a fixed part (the users' folds) and a part per item (its
     *     vector, and per user a 1, the first layer's rows and every layer's outputs)
     */
    static int itemsPerCall(Network network, int users) {
        long room = CALL_BYTES_CAP / Float.BYTES - (long) users * foldFloats(network);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, room / itemFloats(network, users)));
    }

    /**
     * @return the floats one item adds to a call of {@code users} users: its vector, and per user a 1, the first
     *     layer's rows and every layer's outputs — with {@link #foldFloats}, the one account of {@link #runChunk}'s
     *     arrays, which {@link #itemsPerCall} and {@link #workspaceBytes} both read
     */
    private static long itemFloats(Network network, int users) {
        ItemAffineLayer first = network.first();
        long widths = first.rows();
        for (DenseLayer layer : network.layers()) {
            widths += layer.outputs();
        }
        return first.itemDims() + users * (1 + widths);
    }

    /**
     * @return how many users' folds one call stacks: as many as fit half of {@link #CALL_BYTES_CAP}, so the other half
     *     is left for items; at least 1 (a single fold larger than that — a first layer of over 4 million weights — is
     *     what the call then holds beside one chunk of items, bounded by the network's own size)
     */
    static int usersPerCall(Network network, int users) {
        long room = CALL_BYTES_CAP / 2 / Float.BYTES;
        return (int) Math.max(1, Math.min(users, room / foldFloats(network)));
    }

    /** @return the floats one user's fold takes in a call: the folded first layer A(u), its offsets c(u), and s(u) */
    private static long foldFloats(Network network) {
        ItemAffineLayer first = network.first();
        long dims = first.itemDims();
        return first.rows() * (dims + 1) + (first.hasSkip() ? dims : 0);
    }

    /**
     * @return the bytes the thread's workspace may take after a call of {@code users} users × {@code count} items: its
     *     arrays ({@link #runChunk}), over-allocated by a quarter as {@link #WORKSPACE} does, plus 1 KiB of alignment
     */
    static long workspaceBytes(Network network, int users, int count) {
        long floats = users * foldFloats(network) + count * itemFloats(network, users);
        return (long) (floats * Float.BYTES * (1 + OVERALLOCATION)) + 1024;
    }

    /**
     * Reserves in the budget what this thread's workspace may grow to for a call needing {@code bytes}, beyond what it
     * holds already.
     *
     * @throws NativeMemoryRefusedException when the budget refuses: the call must not run
     */
    private void reserveFor(long bytes) {
        Account account = ACCOUNT.get();
        if (account == null) {
            account = new Account(budget);
            ACCOUNT.set(account);
            GoneThreads.CLEANER.register(Thread.currentThread(), account::returnAll);
        }
        account.grow(bytes);
    }

    /** {@link #run} for one chunk: the scores of {@code items[0..count)} written from {@code out[outAt]}. */
    @SuppressWarnings("try") // the workspace is opened for its scope, not referenced
    private void runChunk(NetworkScratch[] folds, int users, float[][] items, int count, float[] out, int outAt) {
        OffHeapWeights w = weights();
        ItemAffineLayer first = network.first();
        int dims = first.itemDims();
        int rows = first.rows() * users;
        int pairs = count * users;
        List<DenseLayer> layers = network.layers();
        reserveFor(workspaceBytes(network, users, count));
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID)) {
            // Everything only BLAS reads shares one array (creating an ND4J array costs microseconds):
            // V (count × dims) | ones (pairs) | A (rows × dims) | c (rows) | S (users × dims, NeuMF only)
            // where A, c and S stack the users' folds A(u), c(u), s(u).
            long onesAt = (long) count * dims;
            long matrixAt = onesAt + pairs;
            long offsetsAt = matrixAt + (long) rows * dims;
            long skipAt = offsetsAt + rows;
            INDArray staging = Nd4j.createUninitialized(
                DataType.FLOAT,
                new long[] { skipAt + (first.hasSkip() ? (long) users * dims : 0) },
                'c'
            );
            FloatPointer base = pointer(staging);
            OffHeapRows.copy(items, count, dims, base, 0);
            OffHeapRows.fill(base, onesAt, pairs, 1f);
            for (int u = 0; u < users; u++) {
                NetworkScratch fold = folds[u];
                OffHeapRows.copy(fold.matrix, first.rows(), dims, base, matrixAt + (long) u * first.rows() * dims);
                OffHeapRows.copy(fold.offsets, base, offsetsAt + (long) u * first.rows());
                if (first.hasSkip()) {
                    OffHeapRows.copy(fold.skip, base, skipAt + (long) u * dims);
                }
            }
            FloatPointer v = at(base, 0);
            FloatPointer ones = at(base, onesAt);

            INDArray h = matrix(count, rows); // = pairs × first.rows() in the same memory
            CpuBlas.affine(v, count, dims, at(base, matrixAt), at(base, offsetsAt), rows, ones, pointer(h));
            activate(h, first.activation());
            int width = first.rows();
            for (int i = 0; i < layers.size(); i++) {
                DenseLayer layer = layers.get(i);
                INDArray next = matrix(pairs, layer.outputs());
                CpuBlas.affine(pointer(h), pairs, width, w.weights[i], w.biases[i], layer.outputs(), ones, pointer(next));
                activate(next, layer.activation());
                h = next;
                width = layer.outputs();
            }
            FloatPointer scores = pointer(h); // pairs × 1: the pre-activation scores
            if (first.hasSkip()) {
                CpuBlas.multiplyAdd(v, count, dims, at(base, skipAt), users, scores); // += V·Sᵀ, count × users
            }
            OffHeapRows.read(scores, out, outAt, pairs);
        } finally {
            // what the workspace really took, if ND4J allocated more than the estimate (never refused: it is held)
            ACCOUNT.get().atLeast(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(WORKSPACE, WORKSPACE_ID).getCurrentSize());
        }
        // The output activation runs on the JVM: the same code as the Java kernel, and one native op fewer.
        Activation output = network.outputActivation();
        for (int i = outAt; i < outAt + pairs; i++) {
            out[i] = output.apply(out[i]);
        }
    }

    @Override
    public Kernel kernel() {
        return Kernel.ND4J;
    }

    /**
     * @return the off-heap bytes a kernel for {@code network} keeps for its shared weights once used (per-thread
     *     workspaces not included)
     */
    public static long offHeapBytes(Network network) {
        long floats = 0;
        for (DenseLayer layer : network.layers()) {
            floats += (long) layer.outputs() * (layer.inputs() + 1);
        }
        return 4 * floats;
    }

    private static FloatPointer pointer(INDArray array) {
        return (FloatPointer) array.data().addressPointer();
    }

    /** A pointer {@code offset} floats into {@code base}'s buffer; a new object, so callers may move it. */
    private static FloatPointer at(FloatPointer base, long offset) {
        return new FloatPointer(base).position(offset);
    }

    private static INDArray matrix(long rows, long columns) {
        return Nd4j.createUninitialized(DataType.FLOAT, new long[] { rows, columns }, 'c');
    }

    /** In place; the legacy ops, which cost a few microseconds less per call than {@code Transforms}. */
    static void activate(INDArray values, Activation activation) {
        switch (activation) {
            case RELU -> Nd4j.exec(new RectifiedLinear(values, values, 0.0));
            case TANH -> Nd4j.exec(new Tanh(values, values));
            case SIGMOID -> Nd4j.exec(new Sigmoid(values, values));
            case IDENTITY -> { }
        }
    }

    private OffHeapWeights weights() {
        OffHeapWeights w = weights;
        if (w == null) {
            synchronized (this) {
                w = weights;
                if (w == null) {
                    w = new OffHeapWeights(network.layers());
                    weights = w;
                }
            }
        }
        return w;
    }

    /** One thread's workspace as its budget knows it. Used by its thread only, except {@link #returnAll} after it. */
    private static final class Account {
        private final NativeMemoryBudget budget;
        private long bytes;

        Account(NativeMemoryBudget budget) {
            this.budget = budget;
        }

        /** @throws NativeMemoryRefusedException when growing to {@code need} does not fit the budget */
        synchronized void grow(long need) {
            if (need > bytes) {
                if (budget.tryReserve(need - bytes) == false) {
                    throw new NativeMemoryRefusedException(need - bytes);
                }
                bytes = need;
            }
        }

        synchronized void atLeast(long held) {
            if (held > bytes) {
                budget.track(held - bytes);
                bytes = held;
            }
        }

        /** The thread has gone, and its workspace with it. */
        synchronized void returnAll() {
            budget.track(-bytes);
            bytes = 0;
        }
    }

    /** The dense layers' weights ({@code outputs × inputs}) and biases ({@code 1 × outputs}), off-heap, detached. */
    private static final class OffHeapWeights {
        // the arrays own the memory; the pointers (never moved) are what BLAS reads
        private final INDArray[] arrays;
        final FloatPointer[] weights;
        final FloatPointer[] biases;

        @SuppressWarnings("try")
        OffHeapWeights(List<DenseLayer> layers) {
            arrays = new INDArray[2 * layers.size()];
            weights = new FloatPointer[layers.size()];
            biases = new FloatPointer[layers.size()];
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (int i = 0; i < layers.size(); i++) {
                    DenseLayer layer = layers.get(i);
                    arrays[2 * i] = Nd4j.createUninitializedDetached(DataType.FLOAT, layer.outputs(), layer.inputs());
                    arrays[2 * i + 1] = Nd4j.createUninitializedDetached(DataType.FLOAT, layer.outputs());
                    weights[i] = pointer(arrays[2 * i]);
                    biases[i] = pointer(arrays[2 * i + 1]);
                    OffHeapRows.copy(layer.weightsRowMajor(), new FloatPointer(weights[i]), 0);
                    OffHeapRows.copy(layer.bias(), new FloatPointer(biases[i]), 0);
                }
            }
        }
    }
}
