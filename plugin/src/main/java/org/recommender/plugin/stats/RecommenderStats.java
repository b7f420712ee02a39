package org.recommender.plugin.stats;

import org.recommender.core.scoring.Kernel;
import org.recommender.core.scoring.NativeMemoryBudget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** This node's request and error counters. Cheap to update from any thread. */
public final class RecommenderStats {
    private final LongAdder vectorsIndexed = new LongAdder();
    private final LongAdder vectorsRejected = new LongAdder();
    private final LongAdder scriptSearches = new LongAdder();
    private final LongAdder scriptBulkSegments = new LongAdder();
    private final LongAdder scriptErrors = new LongAdder();
    private final LongAdder statsRequests = new LongAdder();
    private final LongAdder modelPuts = new LongAdder();
    private final LongAdder rescores = new LongAdder();
    private final LongAdder rescoredDocs = new LongAdder();
    private final LongAdder rescoreNanos = new LongAdder();
    private final KernelCounts rescoreBatches = new KernelCounts();
    private final KernelCounts recommendBatches = new KernelCounts();
    private final LongAdder modelPutErrors = new LongAdder();
    private final LongAdder recommends = new LongAdder();
    private final LongAdder recommendedUsers = new LongAdder();
    private final LongAdder recommendNanos = new LongAdder();
    private final LongAdder recommendErrors = new LongAdder();
    private final LongAdder recommendRetries = new LongAdder();
    private final LongAdder memoryBreakerTrips = new LongAdder();
    private final LongAdder userEncodes = new LongAdder();
    private final LongAdder userEncodedItems = new LongAdder();
    private final LongAdder userEncodeNanos = new LongAdder();
    private final LongAdder workspaceBytes = new LongAdder();
    private final LongAdder workspaceRefusals = new LongAdder();

    /** A document's vector was accepted. */
    public void vectorIndexed() {
        vectorsIndexed.increment();
    }

    /** A document's vector was refused (bad dimension, NaN, not numbers, …). */
    public void vectorRejected() {
        vectorsRejected.increment();
    }

    /** A {@code script_score} with {@code lang: recommender} was prepared for one shard. */
    public void scriptSearch() {
        scriptSearches.increment();
    }

    /** OpenSearch asked a {@code lang: recommender} script for a segment's bulk scorer (3.8 on, no {@code min_score}). */
    public void scriptBulkSegment() {
        scriptBulkSegments.increment();
    }

    /** A {@code script_score} with {@code lang: recommender} was refused (bad source or params). */
    public void scriptError() {
        scriptErrors.increment();
    }

    /** The stats endpoint was asked for this node. */
    public void statsRequest() {
        statsRequests.increment();
    }

    /** A model version was stored. */
    public void modelPut() {
        modelPuts.increment();
    }

    /** A model upload was refused (invalid bundle, too large, bad id). */
    public void modelPutError() {
        modelPutErrors.increment();
    }

    /**
     * A shard's rescore window was scored.
     *
     * @param scored documents that had a vector and went through the model
     * @param kernel the kernel that scored the window
     * @param nanos time spent reading vectors, scoring and sorting
     */
    public void rescore(int scored, Kernel kernel, long nanos) {
        rescores.increment();
        rescoredDocs.add(scored);
        rescoreNanos.add(nanos);
        rescoreBatches.count(kernel);
    }

    /**
     * A {@code _recommend} request scored its candidates on the coordinating node, all its users in one call.
     *
     * @param kernel the kernel that scored the call
     */
    public void recommendBatch(Kernel kernel) {
        recommendBatches.count(kernel);
    }

    /**
     * A {@code _recommend} request was answered.
     *
     * @param users how many users it served
     * @param nanos its time on the coordinating node
     */
    /** One history encoded into a user vector by a stored encoder, on this (coordinating) node. */
    public void userEncoded(int items, long nanos) {
        userEncodes.increment();
        userEncodedItems.add(items);
        userEncodeNanos.add(nanos);
    }

    public void recommend(int users, long nanos) {
        recommends.increment();
        recommendedUsers.add(users);
        recommendNanos.add(nanos);
    }

    /** A {@code _recommend} request failed (bad input, missing user, search failure). */
    public void recommendError() {
        recommendErrors.increment();
    }

    /** A {@code _recommend} request ran again because its model was replaced while it ran. */
    public void recommendRetry() {
        recommendRetries.increment();
    }

    /** A model was refused because, compiled, it would hold more memory than allowed. */
    public void modelMemoryBreakerTrip() {
        memoryBreakerTrips.increment();
    }

    /**
     * @param budget where the ND4J kernel's per-thread workspaces are reserved (the node's breaker)
     * @return the same budget, counting here what it holds ({@code nd4j_workspace_bytes}) and the native calls it
     *     refused, which were scored on the JVM instead ({@code nd4j_calls_refused_for_memory})
     */
    public NativeMemoryBudget counting(NativeMemoryBudget budget) {
        return new NativeMemoryBudget() {
            @Override
            public boolean tryReserve(long bytes) {
                if (budget.tryReserve(bytes)) {
                    workspaceBytes.add(bytes);
                    return true;
                }
                workspaceRefusals.increment();
                return false;
            }

            @Override
            public void track(long bytes) {
                budget.track(bytes);
                workspaceBytes.add(bytes);
            }
        };
    }

    /** @return a snapshot of every counter, by its name in the stats response */
    public Map<String, Long> snapshot() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("vectors_indexed", vectorsIndexed.sum());
        counters.put("vectors_rejected", vectorsRejected.sum());
        counters.put("script_searches", scriptSearches.sum());
        counters.put("script_errors", scriptErrors.sum());
        counters.put("script_bulk_segments", scriptBulkSegments.sum());
        counters.put("stats_requests", statsRequests.sum());
        counters.put("model_puts", modelPuts.sum());
        counters.put("model_put_errors", modelPutErrors.sum());
        counters.put("rescores", rescores.sum());
        counters.put("rescored_documents", rescoredDocs.sum());
        counters.put("rescore_time_in_nanos", rescoreNanos.sum());
        rescoreBatches.putInto(counters, "rescore_batches");
        counters.put("recommend_requests", recommends.sum());
        counters.put("recommend_users", recommendedUsers.sum());
        counters.put("recommend_time_in_nanos", recommendNanos.sum());
        counters.put("recommend_errors", recommendErrors.sum());
        counters.put("recommend_version_retries", recommendRetries.sum());
        recommendBatches.putInto(counters, "recommend_batches");
        counters.put("model_memory_breaker_trips", memoryBreakerTrips.sum());
        counters.put("user_encodes", userEncodes.sum());
        counters.put("user_encoded_items", userEncodedItems.sum());
        counters.put("user_encode_time_in_nanos", userEncodeNanos.sum());
        counters.put("nd4j_workspace_bytes", workspaceBytes.sum());
        counters.put("nd4j_calls_refused_for_memory", workspaceRefusals.sum());
        return counters;
    }
}
