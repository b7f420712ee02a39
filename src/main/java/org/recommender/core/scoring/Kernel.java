package org.recommender.core.scoring;

/**
 * The identity of a scoring kernel: what {@link KernelProvider} hands out, what models report from
 * {@code kernelFor}, and what stats count. {@link #externalName()} is the name users see in stats and
 * {@code _recommend} output; it never changes with the enum constant's name.
 */
public enum Kernel {
    /** The JVM kernel, one item at a time: {@link org.recommender.core.vector.VectorMath} dot products (SIMD where the JVM allows). */
    JAVA("java"),
    /** The JVM batch kernel on the Panama Vector API: SIMD across a row's outputs, eight items at a time. */
    SIMD("java-simd"),
    /** ND4J on its CPU backend: batched matrix products off-heap, through its OpenBLAS. */
    ND4J("nd4j"),
    /** ND4J on its CUDA backend: the GPU. */
    ND4J_GPU("nd4j-gpu");

    private final String externalName;

    Kernel(String externalName) {
        this.externalName = externalName;
    }

    /** @return the name shown to users: {@code java}, {@code java-simd}, {@code nd4j} or {@code nd4j-gpu} */
    public String externalName() {
        return externalName;
    }

    /** @return whether the kernel runs in ND4J's native code, which can fail at run time where the JVM kernels cannot */
    public boolean isNative() {
        return this == ND4J || this == ND4J_GPU;
    }

    /**
     * @return where the kernel's arithmetic runs, as node stats name it ({@code batch_kernel}): {@code jvm},
     *     {@code cpu} (ND4J's CPU backend) or {@code gpu}
     */
    public String site() {
        return switch (this) {
            case JAVA, SIMD -> "jvm";
            case ND4J -> "cpu";
            case ND4J_GPU -> "gpu";
        };
    }

    @Override
    public String toString() {
        return externalName;
    }
}
