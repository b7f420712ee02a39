package org.recommender.tools.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A bounded pool that computes one result per index of a range, each stored in the slot of its index, so whoever
 * reads the slots in order sees the same sequence however the work was scheduled. Workers take small blocks of
 * indices as they free up (users differ in cost: long histories, large candidate pools) and keep one scratch object
 * each for the whole range. With one thread, or a range too small to share, everything runs on the caller's thread.
 */
final class ParallelUsers implements AutoCloseable {
    /** Indices a worker takes at a time: enough to make taking them cheap, few enough to balance the workers. */
    static final int BLOCK = 16;

    /** One index's computation, with the calling worker's scratch. */
    @FunctionalInterface
    interface Task<S, R> {
        R apply(int index, S scratch);
    }

    private final int workers;
    private final ExecutorService pool;

    /**
     * @param threads the most threads to use, at least 1
     * @param size the largest range that will be mapped: no more workers are started than it can keep busy
     */
    ParallelUsers(int threads, int size) {
        this.workers = Math.max(1, Math.min(threads, (size + BLOCK - 1) / BLOCK));
        this.pool = workers > 1 ? Executors.newFixedThreadPool(workers, ParallelUsers::daemon) : null;
    }

    /** @return whether ranges are mapped on more than one thread */
    boolean parallel() {
        return pool != null;
    }

    /**
     * Sets {@code slots[i - from]} to {@code task.apply(i, scratch)} for every {@code i} in {@code [from, to)};
     * returns once all are set. A task's exception is rethrown here (the first one, in worker order).
     */
    <S, R> void map(int from, int to, Supplier<S> scratch, Task<S, R> task, R[] slots) {
        AtomicInteger next = new AtomicInteger(from);
        Runnable worker = () -> {
            S own = scratch.get();
            for (int block = next.getAndAdd(BLOCK); block < to; block = next.getAndAdd(BLOCK)) {
                for (int i = block; i < Math.min(to, block + BLOCK); i++) {
                    slots[i - from] = task.apply(i, own);
                }
            }
        };
        if (pool == null) {
            worker.run();
            return;
        }
        List<Future<?>> running = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            running.add(pool.submit(worker));
        }
        for (Future<?> f : running) {
            await(f);
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Thread daemon(Runnable r) {
        // daemon: a stuck scorer must not keep the JVM alive after the command has failed
        Thread t = new Thread(r, "ranking-evaluator");
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
