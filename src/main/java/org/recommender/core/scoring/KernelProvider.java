package org.recommender.core.scoring;

import org.recommender.core.compute.ComputeDevice;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.compute.VectorApi;

import java.util.List;

/**
 * The one place that chooses a scoring kernel, as Lucene's {@code VectorizationProvider} does for vector code: it
 * knows which kernels exist on this JVM and backend (the Vector API for {@link Kernel#SIMD}; ND4J's native backend,
 * CPU or CUDA, for {@link Kernel#ND4J} and {@link Kernel#ND4J_GPU}), owns the crossover from JVM to native
 * kernels, builds a network's kernels, and names the kernel for each call's shape (users × items). Models ask it;
 * they never decide themselves.
 *
 * <p>A provider is immutable: the requested {@link ComputeDevice}, the crossover and whether the Vector API may be
 * used are fixed when it is made (a node makes one from its settings). What the native backend turned out to be is
 * read from {@link NativeBackend#current()} at each call, so models compiled before the backend finished loading
 * move to ND4J once it has. Thread-safe.
 */
public final class KernelProvider {
    /**
     * The crossover that follows the kernels available at each call: {@link #SIMD_CROSSOVER} while batches on the
     * JVM use the SIMD kernel and ND4J runs on the CPU, else {@link #ITEM_BY_ITEM_CROSSOVER}.
     */
    public static final int AUTO_CROSSOVER = 0;

    /**
     * ND4J's share when the JVM has the SIMD batch kernel and ND4J runs on the CPU: windows of 10,000 items and more.
     * Measured with {@code ModelScoringBenchmark} (2 cores, d = 64, native threads 1; {@code docs/benchmarks.md}):
     * up to 10,000 items the SIMD kernel was 2–25× faster than ND4J's CPU backend for a NeuMF with a 64→32→16
     * tower and 1.9–5× for an MLP 192→128→64→1; ND4J's matrix products are kept for windows this large, where wider
     * models should favour them.
     */
    public static final int SIMD_CROSSOVER = 10_000;

    /**
     * ND4J's share when the JVM would score batches item by item (no Vector API) or ND4J runs on a GPU: from 64
     * items. Measured against the item-by-item kernel (ND4J broke even at ~40 items for the MLP and ~110 for the NeuMF
     * above; 64 keeps either within ~1.6× of its better kernel). Not measured on a GPU.
     */
    public static final int ITEM_BY_ITEM_CROSSOVER = 64;

    /** A crossover no batch reaches: every batch stays on the JVM. */
    public static final int NEVER_NATIVE = Integer.MAX_VALUE;

    /** The smallest batch the SIMD kernel scores: it works on groups of four items, so smaller ones go item by item. */
    public static final int SIMD_FROM = 4;

    private static final KernelProvider AUTO = new KernelProvider(ComputeDevice.AUTO, AUTO_CROSSOVER, VectorApi.present());

    private final ComputeDevice device;
    private final int crossover;
    private final boolean vectorApi;
    private final NativeMemoryBudget workspaces;
    // every batch asks for the placement; recomputed only when the backend's report changed
    private volatile Placement placement;

    private KernelProvider(ComputeDevice device, int crossover, boolean vectorApi) {
        this(device, crossover, vectorApi, NativeMemoryBudget.NONE);
    }

    private KernelProvider(ComputeDevice device, int crossover, boolean vectorApi, NativeMemoryBudget workspaces) {
        if (crossover < AUTO_CROSSOVER) {
            throw new IllegalArgumentException("crossover must be at least 1, or AUTO_CROSSOVER (0), but was " + crossover);
        }
        if (vectorApi && VectorApi.present() == false) {
            throw new IllegalArgumentException("the SIMD kernel needs the Vector API, which this JVM was not started with");
        }
        this.device = device;
        this.crossover = crossover;
        this.vectorApi = vectorApi;
        this.workspaces = workspaces;
    }

    /** @return the default: any device, the {@link #AUTO_CROSSOVER automatic crossover}, the SIMD kernel when this JVM has it */
    public static KernelProvider auto() {
        return AUTO;
    }

    /**
     * A node's provider, from its settings.
     *
     * @param device where batches may run ({@code recommender.compute.device})
     * @param crossover the smallest batch (users × items) sent to ND4J, or {@link #AUTO_CROSSOVER}
     *     ({@code recommender.scoring.nd4j_min_batch})
     * @throws IllegalArgumentException when {@code crossover} is negative
     */
    public static KernelProvider of(ComputeDevice device, int crossover) {
        return new KernelProvider(device, crossover, VectorApi.present());
    }

    /**
     * @param crossover the smallest batch (users × items) sent to ND4J: 1 sends every batch there,
     *     {@link #NEVER_NATIVE} none, {@link #AUTO_CROSSOVER} chooses per call
     * @return a provider for any device with that crossover
     */
    public static KernelProvider withCrossover(int crossover) {
        return new KernelProvider(ComputeDevice.AUTO, crossover, VectorApi.present());
    }

    /** @return a provider that keeps every batch on the JVM; models it compiles hold no native weights */
    public static KernelProvider jvmOnly() {
        return withCrossover(NEVER_NATIVE);
    }

    /** @return this provider as on a JVM started without the Vector API: JVM batches go item by item */
    public KernelProvider withoutVectorApi() {
        return new KernelProvider(device, crossover, false, workspaces);
    }

    /**
     * @param budget where the ND4J CPU kernel reserves what its threads' workspaces grow to (a node's circuit breaker);
     *     a call it refuses is scored on the JVM
     * @return this provider with its native kernels accounted there
     */
    public KernelProvider withWorkspaceBudget(NativeMemoryBudget budget) {
        return new KernelProvider(device, crossover, vectorApi, budget);
    }

    /** @return the device this provider was asked to use */
    public ComputeDevice device() {
        return device;
    }

    /** @return whether native kernels may ever run (false for {@link #jvmOnly()}) */
    public boolean nativeAllowed() {
        return crossover != NEVER_NATIVE;
    }

    /** @return which kernel large batches use now, given the requested device and what loaded, and why it differs if it does */
    public Placement placement() {
        Placement p = placement;
        var report = NativeBackend.current();
        if (p == null || p.backend() != report) {
            p = Placement.of(device, report, jvmBatchKernel());
            placement = p;
        }
        return p;
    }

    /** @return the kernel batches use when they stay on the JVM: {@link Kernel#SIMD} with the Vector API, else {@link Kernel#JAVA} */
    public Kernel jvmBatchKernel() {
        return vectorApi ? Kernel.SIMD : Kernel.JAVA;
    }

    /**
     * @param count items in one JVM batch
     * @return the JVM kernel for it: SIMD from {@link #SIMD_FROM} items when the Vector API is present, else item by item
     */
    public Kernel jvmKernel(int count) {
        return vectorApi && count >= SIMD_FROM ? Kernel.SIMD : Kernel.JAVA;
    }

    /**
     * The kernel a neural model scores a call of {@code users × count} pairs with. A native kernel takes the whole
     * call as one batch once it reaches the crossover; otherwise each user's {@code count} items are one JVM batch.
     *
     * @param users users in the call, at least 1
     * @param count items per user
     * @param nativeHealthy false once the model's native kernel has failed: it then stays on the JVM
     * @return the kernel to run
     */
    public Kernel forNetwork(int users, int count, boolean nativeHealthy) {
        Kernel large = placement().kernel();
        if (nativeHealthy && large.isNative() && (long) users * count >= crossover(large)) {
            return large;
        }
        return jvmKernel(count);
    }

    /**
     * The kernel a {@code dot} or {@code cosine} model scores with: always {@link Kernel#JAVA}. A dot product is a few
     * nanoseconds with the SIMD {@link org.recommender.core.vector.VectorMath}, and ND4J never wins it back ({@code docs/benchmarks.md}).
     */
    public Kernel forSimilarity() {
        return Kernel.JAVA;
    }

    /**
     * @param network a compiled network
     * @return every kernel that may score it under this provider: {@link Kernel#JAVA} always, {@link Kernel#SIMD}
     *     with the Vector API, and both ND4J kernels unless {@link #jvmOnly()} (they copy weights to the backend
     *     only when first used)
     */
    public NetworkKernels networkKernels(Network network) {
        return NetworkKernels.of(network, vectorApi, nativeAllowed(), workspaces);
    }

    /**
     * @return the dot-product kernels this provider allows, JVM first: {@link SimdDotKernel#INSTANCE} always, and a new
     *     {@link Nd4jDotKernel} unless {@link #jvmOnly()} (it runs only once ND4J's backend has loaded)
     */
    public List<DotKernel> dotKernels() {
        return nativeAllowed() ? List.of(SimdDotKernel.INSTANCE, new Nd4jDotKernel()) : List.of(SimdDotKernel.INSTANCE);
    }

    /** @return the smallest call (users × items) a native kernel takes now, with the crossover resolved */
    private int crossover(Kernel large) {
        if (crossover != AUTO_CROSSOVER) {
            return crossover;
        }
        // the SIMD kernel keeps pace with ND4J's CPU backend up to large windows; item by item, or against a GPU, it does not
        return vectorApi && large == Kernel.ND4J ? SIMD_CROSSOVER : ITEM_BY_ITEM_CROSSOVER;
    }

    @Override
    public String toString() {
        String c = crossover == AUTO_CROSSOVER ? "auto" : crossover == NEVER_NATIVE ? "never" : String.valueOf(crossover);
        return "KernelProvider[device=" + device.externalName() + ", crossover=" + c + ", vector_api=" + vectorApi + "]";
    }
}
