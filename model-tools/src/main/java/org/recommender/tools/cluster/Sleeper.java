package org.recommender.tools.cluster;

/** Waits between retries; tests substitute one that records the delays instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps with {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = Thread::sleep;

    /** Waits {@code millis} milliseconds. */
    void sleep(long millis) throws InterruptedException;
}
