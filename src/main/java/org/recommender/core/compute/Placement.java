package org.recommender.core.compute;

/**
 * Which kernel batched neural scoring uses on this node, decided from what was requested
 * ({@link ComputeDevice}) and what actually loaded ({@link BackendReport}).
 *
 * @param requested the device the settings asked for
 * @param kernel the batch kernel in use
 * @param fallback why the request could not be honoured as asked, or {@code null}
 * @param backend the report it was decided from
 */
public record Placement(ComputeDevice requested, Kernel kernel, String fallback, BackendReport backend) {
    /** The batch kernels. */
    public enum Kernel {
        /** No native backend: the JVM (SIMD) kernel scores everything. */
        JVM,
        /** ND4J's CPU backend, products through its OpenBLAS. */
        CPU,
        /** ND4J's CUDA backend: the GPU. */
        GPU
    }

    /**
     * @param requested what the node's settings ask for
     * @param backend what loaded
     */
    public static Placement of(ComputeDevice requested, BackendReport backend) {
        if (backend.ready() == false) {
            String why = BackendReport.LOADING.equals(backend.status()) ? "the native backend is still loading" : "the native backend failed to load: " + backend.error();
            return new Placement(requested, Kernel.JVM, requested == ComputeDevice.GPU || requested == ComputeDevice.CPU ? why : null, backend);
        }
        boolean gpuBackend = "CUDA".equalsIgnoreCase(backend.device());
        if (gpuBackend) {
            return requested == ComputeDevice.CPU
                ? new Placement(requested, Kernel.JVM, "device [cpu] requested and the loaded ND4J backend is CUDA: batches score on the JVM", backend)
                : new Placement(requested, Kernel.GPU, null, backend);
        }
        return requested == ComputeDevice.GPU
            ? new Placement(requested, Kernel.CPU, "device [gpu] requested but the loaded ND4J backend is " + backend.device()
                + " (no CUDA build installed, or no usable GPU): batches score on the CPU", backend)
            : new Placement(requested, Kernel.CPU, null, backend);
    }
}
