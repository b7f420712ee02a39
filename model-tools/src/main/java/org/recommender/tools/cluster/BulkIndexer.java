package org.recommender.tools.cluster;

import org.recommender.core.io.EmbeddingEntry;
import org.recommender.core.io.EmbeddingReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Streams an embeddings file into an index in {@code _bulk} batches, with at most {@code concurrency} batches in
 * flight. Whole-request failures (connection errors, 429, transient 5xx) are retried by {@link OpenSearchConnection};
 * documents that fail individually with 429 are re-sent with the same back-off; any other per-document failure is
 * final and reported. With an {@link IndexProgress.Writer}, the longest finished prefix of the file is saved after
 * every batch and a later run skips it, so an interrupted run resumes where it stopped. Ends with a refresh and a
 * {@code _count}, so the caller can check that the index holds exactly what was written.
 */
public final class BulkIndexer {
    /** Upper bound on {@code --concurrency}: more only queues on the node's write pool. */
    public static final int MAX_CONCURRENCY = 64;

    private final OpenSearchConnection connection;
    private final int batchSize;
    private final int concurrency;

    /**
     * @param connection the cluster
     * @param batchSize documents per {@code _bulk} request
     * @param concurrency {@code _bulk} requests in flight at once
     */
    public BulkIndexer(OpenSearchConnection connection, int batchSize, int concurrency) {
        this.connection = connection;
        this.batchSize = checkBatchSize(batchSize);
        this.concurrency = checkConcurrency(concurrency);
    }

    /**
     * @return {@code concurrency} if it is in [1, {@value #MAX_CONCURRENCY}]
     * @throws IllegalArgumentException otherwise
     */
    public static int checkConcurrency(int concurrency) {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("--concurrency must be between 1 and " + MAX_CONCURRENCY + " but was " + concurrency);
        }
        return concurrency;
    }

    /**
     * @return {@code batchSize} if it is in [1, 100000]
     * @throws IllegalArgumentException otherwise
     */
    public static int checkBatchSize(int batchSize) {
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("--batch-size must be between 1 and 100000 but was " + batchSize);
        }
        return batchSize;
    }

    /**
     * Indexes every entry of {@code reader} into {@code index}, after the ones a previous run finished.
     *
     * @param body how documents look
     * @param from the prefix of the file an interrupted run finished, skipped here ({@link IndexProgress.Position#START}:
     *     none)
     * @param record where to record progress, or {@code null} not to
     * @param progress receives the number of documents finished (accepted or failed): once for the skipped prefix,
     *     then after each batch
     * @throws ClusterException when a request fails after retries, or the cluster rejects a whole request; the saved
     *     progress then covers every batch finished before it
     * @throws org.recommender.core.io.EmbeddingFileException for a bad line in the file
     */
    public IndexReport index(String index, EmbeddingReader reader, BulkBody body, IndexProgress.Position from, IndexProgress.Writer record,
        LongConsumer progress) throws IOException {
        long start = System.nanoTime();
        IndexProgress.Position resumed = from;
        long read = 0;
        while (read < resumed.documents() && reader.next() != null) {
            read++;
        }
        if (read < resumed.documents()) {
            throw new IOException("the saved progress counts " + resumed.documents() + " documents but the file holds " + read
                + (record == null ? "" : " (" + record.file() + ")"));
        }
        progress.accept(read);
        Batches batches = new Batches(resumed, record, progress);
        String path = "/" + OpenSearchConnection.encode(index) + "/_bulk";
        AtomicReference<IOException> failure = new AtomicReference<>();
        ExecutorService senders = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "bulk-" + index);
            t.setDaemon(true);
            return t;
        });
        try {
            long sequence = 0;
            List<EmbeddingEntry> batch = new ArrayList<>(batchSize);
            for (EmbeddingEntry e = reader.next();; e = reader.next()) {
                if (e != null) {
                    batch.add(e);
                    read++;
                }
                if (batch.size() == batchSize || (e == null && batch.isEmpty() == false)) {
                    long seq = sequence;
                    // at most `concurrency` batches past the saved prefix, finished or not: bounds both the requests
                    // in flight and what a killed run sends again
                    if (batches.awaitRoom(seq, concurrency, failure) == false) {
                        break;
                    }
                    sequence++;
                    List<EmbeddingEntry> pending = batch;
                    senders.execute(() -> {
                        try {
                            batches.finished(seq, pending.size(), sendWithItemRetries(path, pending, body));
                        } catch (IOException | RuntimeException ex) {
                            failure.compareAndSet(null, ex instanceof IOException io ? io : new ClusterException(ex.toString(), ex));
                        } finally {
                            batches.settle();
                        }
                    });
                    batch = new ArrayList<>(batchSize);
                }
                if (e == null) {
                    break;
                }
            }
            // every batch sent has finished or failed, so none writes the progress file after this returns
            batches.awaitSettled(sequence);
        } finally {
            senders.shutdownNow();
            awaitTermination(senders);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        String base = "/" + OpenSearchConnection.encode(index);
        ClusterResponse refresh = connection.sendJson("POST", base + "/_refresh", null);
        if (refresh.ok() == false) {
            throw new ClusterException("refreshing index [" + index + "] failed: " + refresh.errorSummary());
        }
        ClusterResponse count = connection.sendJson("GET", base + "/_count", null);
        if (count.ok() == false) {
            throw new ClusterException("counting documents in index [" + index + "] failed: " + count.errorSummary());
        }
        long documents = count.json().path("count").asLong(-1);
        return batches.report(index, read, resumed.documents(), documents, (System.nanoTime() - start) / 1e9);
    }

    private static void awaitTermination(ExecutorService senders) throws ClusterException {
        try {
            senders.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while indexing", e);
        }
    }

    /**
     * Collects finished batches, which complete out of order, into the contiguous prefix of the file that is done,
     * and saves that prefix: only a prefix can be skipped safely by a later run.
     */
    private static final class Batches {
        private final IndexProgress.Writer saved;
        private final LongConsumer progress;
        private final TreeMap<Long, long[]> early = new TreeMap<>();
        private final List<BulkItemFailure> firstFailures = new ArrayList<>();
        private long next;
        private long documents;
        private long failed;
        private long failedBefore;
        private long settled;

        Batches(IndexProgress.Position resumed, IndexProgress.Writer saved, LongConsumer progress) {
            this.saved = saved;
            this.progress = progress;
            this.documents = resumed.documents();
            this.failed = resumed.failed();
            this.failedBefore = resumed.failed();
        }

        /**
         * Waits until batch {@code seq} may be sent: fewer than {@code window} batches lie between the saved prefix and
         * it. @return false when a batch has failed and nothing more should be sent
         */
        synchronized boolean awaitRoom(long seq, int window, AtomicReference<IOException> failure) throws ClusterException {
            while (seq - next >= window && failure.get() == null) {
                waitForChange();
            }
            return failure.get() == null;
        }

        /** Waits until every one of the {@code sent} batches has finished or failed. */
        synchronized void awaitSettled(long sent) throws ClusterException {
            while (settled < sent) {
                waitForChange();
            }
        }

        /** A batch is done with, successfully or not. */
        synchronized void settle() {
            settled++;
            notifyAll();
        }

        private void waitForChange() throws ClusterException {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while indexing", e);
            }
        }

        synchronized void finished(long seq, int size, List<BulkItemFailure> lost) throws IOException {
            for (BulkItemFailure f : lost) {
                if (firstFailures.size() < IndexReport.FAILURES_KEPT) {
                    firstFailures.add(f);
                }
            }
            early.put(seq, new long[] { size, lost.size() });
            boolean advanced = false;
            for (long[] done = early.remove(next); done != null; done = early.remove(next)) {
                next++;
                documents += done[0];
                failed += done[1];
                advanced = true;
            }
            notifyAll();
            if (advanced && saved != null) {
                saved.save(new IndexProgress.Position(documents, failed));
            }
            progress.accept(size);
        }

        synchronized IndexReport report(String index, long read, long resumedFrom, long count, double seconds) {
            long writtenNow = documents - resumedFrom - (failed - failedBefore);
            long written = (resumedFrom - failedBefore) + writtenNow;
            return new IndexReport(index, read, written, failed, List.copyOf(firstFailures), count, resumedFrom, seconds);
        }
    }

    /** Sends one batch; re-sends the documents refused with a retryable status; returns those lost for good. */
    private List<BulkItemFailure> sendWithItemRetries(String path, List<EmbeddingEntry> batch, BulkBody body) throws ClusterException {
        RetryPolicy retry = connection.retryPolicy();
        List<EmbeddingEntry> pending = batch;
        List<BulkItemFailure> lost = new ArrayList<>();
        for (int attempt = 0;; attempt++) {
            ClusterResponse response = connection.send("POST", path, Map.of(), body.build(pending), OpenSearchConnection.NDJSON);
            if (response.ok() == false) {
                throw new ClusterException("bulk request to " + path + " failed with " + response.status() + ": " + response.errorSummary());
            }
            List<BulkItemFailure> failures = BulkResponseParser.failures(response.json());
            if (failures.isEmpty()) {
                return lost; // the usual case: no per-document index to build
            }
            Map<String, EmbeddingEntry> byId = new HashMap<>();
            for (EmbeddingEntry e : pending) {
                byId.put(e.id(), e);
            }
            List<EmbeddingEntry> again = new ArrayList<>();
            BulkItemFailure firstRetried = null;
            for (BulkItemFailure f : failures) {
                if (f.retryable() && attempt < retry.maxRetries() && byId.containsKey(f.id())) {
                    again.add(byId.get(f.id()));
                    firstRetried = firstRetried == null ? f : firstRetried;
                } else {
                    lost.add(f);
                }
            }
            if (again.isEmpty()) {
                return lost;
            }
            connection.backOff(String.format(Locale.ROOT, "OpenSearch at %s refused %,d of %,d documents (the first: %d %s)",
                connection.url(), again.size(), pending.size(), firstRetried.status(), firstRetried.reason()), "POST " + path, attempt + 1);
            pending = again;
        }
    }
}
