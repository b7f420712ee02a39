package org.recommender.core.scoring;

/** Runs a test body in a thread of its own, whose ND4J workspaces (and their account) start empty. */
final class FreshThread {
    private FreshThread() {}

    /** Runs {@code test} in a new thread and rethrows what it threw (an assertion as it was). */
    static void run(Runnable test) throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                test.run();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        thread.start();
        thread.join();
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }
}
