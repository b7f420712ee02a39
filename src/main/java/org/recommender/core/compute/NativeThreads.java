package org.recommender.core.compute;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Caps the threads one native (ND4J / OpenBLAS) call may use. In a search node every search thread may be inside a
 * native call at once, and the native libraries' own worker threads then compete with them for the same cores:
 * measured on 2 shared cores, a 1000×64×32 product plus ReLU took about 1.6 ms with the default 2 OpenBLAS threads
 * against about 0.1 ms with 1, because idle BLAS workers spin while waiting for work. One thread per call, with
 * parallelism coming from concurrent requests, is the setting for serving; more threads only help a single large
 * batch on otherwise idle cores (training, offline evaluation).
 */
public final class NativeThreads {
    private NativeThreads() {}

    /**
     * Sets the OpenBLAS thread count and libnd4j's thread limits, process-wide. Call after
     * {@link NativeBackend#load} succeeded; affects every ND4J user in the JVM.
     *
     * @param threads at least 1
     * @return whether the limit was applied (false when the native backend is not ready)
     */
    public static boolean limit(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
        }
        if (NativeBackend.current().ready() == false) {
            return false;
        }
        Nd4j.factory().blas().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        return true;
    }

    /**
     * Caps native threads at {@code threads} until the returned scope is closed, then restores the earlier caps: for
     * a process that runs several native calls side by side for a while (an evaluation scoring users on several
     * threads), where each call would otherwise start a BLAS worker per core. Process-wide, like {@link #limit}; does
     * nothing when the native backend is not ready.
     *
     * @param threads at least 1
     */
    public static Scope cap(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
        }
        if (NativeBackend.current().ready() == false) {
            return () -> {};
        }
        int blas = Nd4j.factory().blas().getMaxThreads();
        int max = Nd4j.getEnvironment().maxThreads();
        int master = Nd4j.getEnvironment().maxMasterThreads();
        limit(threads);
        return () -> {
            Nd4j.factory().blas().setMaxThreads(blas);
            Nd4j.getEnvironment().setMaxThreads(max);
            Nd4j.getEnvironment().setMaxMasterThreads(master);
        };
    }

    /** A scope of {@link #cap}; closing it restores the caps it replaced. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** @return the OpenBLAS thread count now in effect, or 0 when the native backend is not ready */
    public static int blasThreads() {
        return NativeBackend.current().ready() ? Nd4j.factory().blas().getMaxThreads() : 0;
    }
}
