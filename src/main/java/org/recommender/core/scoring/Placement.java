package org.recommender.core.scoring;

import org.recommender.core.compute.BackendReport;
import org.recommender.core.compute.ComputeDevice;

/**
 * Which kernel scores the batches a model sends off the JVM on this node, decided from what was requested
 * ({@link ComputeDevice}) and what actually loaded ({@link BackendReport}).
 *
 * @param requested the device the settings asked for
 * @param kernel the kernel large batches use: {@link Kernel#ND4J}, {@link Kernel#ND4J_GPU}, or the JVM batch kernel
 *     when no native kernel may run
 * @param fallback why the request could not be honoured as asked, or {@code null}
 * @param backend the report it was decided from
 */
public record Placement(ComputeDevice requested, Kernel kernel, String fallback, BackendReport backend) {
    /**
     * @param requested what the node's settings ask for
     * @param backend what loaded
     * @param jvmBatch the kernel batches use when they stay on the JVM ({@link Kernel#SIMD} or {@link Kernel#JAVA})
     */
    public static Placement of(ComputeDevice requested, BackendReport backend, Kernel jvmBatch) {
        if (jvmBatch.isNative()) {
            throw new IllegalArgumentException("the JVM batch kernel must be a JVM kernel but was " + jvmBatch);
        }
        if (backend.ready() == false) {
            String why = BackendReport.LOADING.equals(backend.status()) ? "the native backend is still loading" : "the native backend failed to load: " + backend.error();
            return new Placement(requested, jvmBatch, requested == ComputeDevice.GPU || requested == ComputeDevice.CPU ? why : null, backend);
        }
        boolean gpuBackend = "CUDA".equalsIgnoreCase(backend.device());
        if (gpuBackend) {
            return requested == ComputeDevice.CPU
                ? new Placement(requested, jvmBatch, "device [cpu] requested and the loaded ND4J backend is CUDA: batches score on the JVM", backend)
                : new Placement(requested, Kernel.ND4J_GPU, null, backend);
        }
        return requested == ComputeDevice.GPU
            ? new Placement(requested, Kernel.ND4J, "device [gpu] requested but the loaded ND4J backend is " + backend.device()
                + " (no CUDA build installed, or no usable GPU): batches score on the CPU", backend)
            : new Placement(requested, Kernel.ND4J, null, backend);
    }
}
