package org.recommender.core.scoring;

/**
 * A native kernel's call would have grown its thread's native memory past the node's {@link NativeMemoryBudget}: the
 * call was not run, and the caller scores it on the JVM instead. Not a failure of the native backend, so a model keeps
 * using its native kernel for later calls.
 */
public final class NativeMemoryRefusedException extends RuntimeException {
    /** @param bytes what the call would have needed beyond what the thread already holds */
    public NativeMemoryRefusedException(long bytes) {
        super("the native scoring workspace would grow by " + bytes + " bytes, past the node's budget", null, false, false);
    }
}
