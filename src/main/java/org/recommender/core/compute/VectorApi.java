package org.recommender.core.compute;

/**
 * Whether this JVM was started with the Panama Vector API ({@code --add-modules jdk.incubator.vector}), which the
 * SIMD batch kernel needs. OpenSearch starts its nodes with it, as do {@code bin/model-tools} and the tests; a JVM
 * without it scores batches with the plain Java kernel instead.
 */
public final class VectorApi {
    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorApi() {}

    /** @return whether {@code jdk.incubator.vector} is in the boot layer */
    public static boolean present() {
        return PRESENT;
    }
}
