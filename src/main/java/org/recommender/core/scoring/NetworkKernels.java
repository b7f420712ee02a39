package org.recommender.core.scoring;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The kernels that may score one {@link Network}, by identity, as {@link KernelProvider#networkKernels} builds them.
 * Immutable; the kernels themselves are thread-safe.
 */
public final class NetworkKernels {
    private final Map<Kernel, NetworkKernel> kernels;
    private final long memoryBytes;

    /** The most host staging bytes one native call keeps for the next: the device kernel's slots, each capped. */
    public static final long KEPT_STAGING_BYTES = Nd4jDeviceNetworkKernel.SLOTS * (DenseLayer.ARRAY_HEADER_BYTES + 4L * StagingArrays.MAX_KEPT);

    private NetworkKernels(Map<Kernel, NetworkKernel> kernels, long memoryBytes) {
        this.kernels = Collections.unmodifiableMap(kernels);
        this.memoryBytes = memoryBytes;
    }

    /**
     * @param simd whether to build the SIMD kernel; only when the JVM has the Vector API
     * @param natives whether to build the ND4J kernels
     * @param workspaces where the ND4J CPU kernel reserves its threads' workspaces
     */
    static NetworkKernels of(Network network, boolean simd, boolean natives, NativeMemoryBudget workspaces) {
        Map<Kernel, NetworkKernel> kernels = new EnumMap<>(Kernel.class);
        long bytes = 0;
        kernels.put(Kernel.JAVA, new JavaNetworkKernel(network));
        if (simd) {
            SimdNetworkKernel kernel = new SimdNetworkKernel(network);
            kernels.put(Kernel.SIMD, kernel);
            bytes += kernel.memoryBytes();
        }
        if (natives) {
            kernels.put(Kernel.ND4J, new Nd4jNetworkKernel(network, workspaces));
            kernels.put(Kernel.ND4J_GPU, new Nd4jDeviceNetworkKernel(network));
            bytes += Nd4jNetworkKernel.offHeapBytes(network); // one native copy: a node runs one of the two
            // and one of the two kernels' kept host arrays: the CPU kernel's pair scores or the device's staging slots
            bytes += Workspaces.retainedBytes(KEPT_STAGING_BYTES);
        }
        return new NetworkKernels(kernels, bytes);
    }

    /**
     * @param substitute a kernel to use in place of the one of its {@link BatchKernel#kernel() identity} (tests
     *     substitute a native kernel that fails)
     * @return a copy with it
     */
    public NetworkKernels with(NetworkKernel substitute) {
        Map<Kernel, NetworkKernel> copy = new EnumMap<>(kernels);
        copy.put(substitute.kernel(), substitute);
        return new NetworkKernels(copy, memoryBytes);
    }

    /**
     * @param kernel a kernel the provider named
     * @return its instance for this network
     * @throws IllegalStateException when this set was built without it (the provider never names such a kernel)
     */
    public NetworkKernel get(Kernel kernel) {
        NetworkKernel k = kernels.get(kernel);
        if (k == null) {
            throw new IllegalStateException("no " + kernel + " kernel was built for this model");
        }
        return k;
    }

    /** @return every kernel built, in {@link Kernel} order */
    public Collection<NetworkKernel> all() {
        return kernels.values();
    }

    /** @return bytes the kernels keep beside the network's own weights: the SIMD kernel's transposed copy and ND4J's native copy */
    public long memoryBytes() {
        return memoryBytes;
    }
}
