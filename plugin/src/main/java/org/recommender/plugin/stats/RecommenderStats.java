package org.recommender.plugin.stats;


import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** This node's request and error counters. Cheap to update from any thread. */
public final class RecommenderStats {
    private final LongAdder vectorsIndexed = new LongAdder();
    private final LongAdder vectorsRejected = new LongAdder();
    private final LongAdder scriptSearches = new LongAdder();
    private final LongAdder scriptErrors = new LongAdder();
    private final LongAdder statsRequests = new LongAdder();

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

    /** A {@code script_score} with {@code lang: recommender} was refused (bad source or params). */
    public void scriptError() {
        scriptErrors.increment();
    }

    /** The stats endpoint was asked for this node. */
    public void statsRequest() {
        statsRequests.increment();
    }

    /** @return a snapshot of every counter, by its name in the stats response */
    public Map<String, Long> snapshot() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("vectors_indexed", vectorsIndexed.sum());
        counters.put("vectors_rejected", vectorsRejected.sum());
        counters.put("script_searches", scriptSearches.sum());
        counters.put("script_errors", scriptErrors.sum());
        counters.put("stats_requests", statsRequests.sum());
        return counters;
    }
}
