package org.recommender.tools.cluster;

import org.recommender.core.io.EmbeddingEntry;
import org.recommender.core.io.EmbeddingReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Streams an embeddings file into an index in {@code _bulk} batches. Whole-request failures (connection errors,
 * 429, transient 5xx) are retried by {@link OpenSearchConnection}; documents that fail individually with 429 are
 * re-sent with the same back-off; any other per-document failure is final and reported. Ends with a refresh and a
 * {@code _count}, so the caller can check that the index holds exactly what was written.
 */
public final class BulkIndexer {
    private final OpenSearchConnection connection;
    private final int batchSize;

    /**
     * @param connection the cluster
     * @param batchSize documents per {@code _bulk} request
     */
    public BulkIndexer(OpenSearchConnection connection, int batchSize) {
        this.connection = connection;
        this.batchSize = checkBatchSize(batchSize);
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
     * Indexes every entry of {@code reader} into {@code index}.
     *
     * @param body how documents look
     * @param progress receives the number of documents finished (accepted or failed) after each batch
     * @throws ClusterException when a request fails after retries, or the cluster rejects a whole request
     * @throws org.recommender.core.io.EmbeddingFileException for a bad line in the file
     */
    public IndexReport index(String index, EmbeddingReader reader, BulkBody body, LongConsumer progress) throws IOException {
        long start = System.nanoTime();
        String path = "/" + OpenSearchConnection.encode(index) + "/_bulk";
        List<EmbeddingEntry> batch = new ArrayList<>(batchSize);
        long read = 0;
        long written = 0;
        long failed = 0;
        List<BulkItemFailure> firstFailures = new ArrayList<>();
        for (EmbeddingEntry e = reader.next();; e = reader.next()) {
            if (e != null) {
                batch.add(e);
                read++;
            }
            if (batch.size() == batchSize || (e == null && batch.isEmpty() == false)) {
                List<BulkItemFailure> lost = sendWithItemRetries(path, batch, body);
                written += batch.size() - lost.size();
                failed += lost.size();
                for (BulkItemFailure f : lost) {
                    if (firstFailures.size() < IndexReport.FAILURES_KEPT) {
                        firstFailures.add(f);
                    }
                }
                progress.accept(batch.size());
                batch.clear();
            }
            if (e == null) {
                break;
            }
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
        return new IndexReport(index, read, written, failed, List.copyOf(firstFailures), documents, (System.nanoTime() - start) / 1e9);
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
            Map<String, EmbeddingEntry> byId = new HashMap<>();
            for (EmbeddingEntry e : pending) {
                byId.put(e.id(), e);
            }
            List<EmbeddingEntry> again = new ArrayList<>();
            for (BulkItemFailure f : failures) {
                if (f.retryable() && attempt < retry.maxRetries() && byId.containsKey(f.id())) {
                    again.add(byId.get(f.id()));
                } else {
                    lost.add(f);
                }
            }
            if (again.isEmpty()) {
                return lost;
            }
            try {
                connection.sleeper().sleep(retry.delayMillis(attempt + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while waiting to retry a bulk request", e);
            }
            pending = again;
        }
    }
}
