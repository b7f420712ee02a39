package org.recommender.tools.train;

import org.recommender.core.compute.VectorApi;

/**
 * The check the hand-written trainers (SASRec, GRU4Rec, ELSA) make before they start: their matrix products
 * ({@link DoubleGemm}) are written on the JDK Vector API, and without its module they would fail with a
 * {@code NoClassDefFoundError} mid-run instead of this message. A class of its own because touching
 * {@link DoubleGemm} itself already needs the module.
 */
public final class VectorModule {
    private VectorModule() {}

    /** @throws IllegalStateException naming the algorithm and the JVM option that adds the module */
    public static void require(String algorithm) {
        if (VectorApi.present() == false) {
            throw new IllegalStateException(
                algorithm + " trains on the JDK Vector API: start the JVM with --add-modules jdk.incubator.vector (bin/model-tools does)"
            );
        }
    }
}
