package org.recommender.plugin.query;

import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.search.IndexSearcher;
import org.opensearch.core.tasks.TaskCancelledException;

/**
 * Stops an exact scan whose search was cancelled. An exact scan runs while OpenSearch rewrites the shard's query,
 * before the query phase's own checks exist, so a cancelled search (a client gone, {@code _tasks/_cancel}) kept its
 * search thread until the scan ended — seconds on a large shard, more for a best-score user of many examples. During
 * that rewrite OpenSearch 3.8 and later hold the task's cancellation check as the searcher's Lucene
 * {@link QueryTimeout}; this asks it between blocks. Earlier releases give the rewrite none ({@code null}): there the
 * scan runs to its end, as before. One instance per scanning thread.
 */
final class ScanExit {
    /**
     * Blocks of vectors between two checks: 16 blocks of up to 64 vectors, about 1,000 documents — about 60 µs of
     * scanning at the ~60 ns a document docs/benchmarks.md measured for 200,000 × 64 ("Exact scoring at memory
     * speed") — so a check is rare against the work and a cancelled scan stops soon after.
     */
    static final int BLOCKS_PER_CHECK = 16;

    private final QueryTimeout timeout;
    private int blocks;

    private ScanExit(QueryTimeout timeout) {
        this.timeout = timeout;
    }

    /** @return the exit of a scan run by {@code searcher}'s rewrite */
    static ScanExit of(IndexSearcher searcher) {
        return new ScanExit(searcher.getTimeout());
    }

    /** Called after each scored block; throws once the search is cancelled. */
    void afterBlock() {
        if (timeout != null && ++blocks % BLOCKS_PER_CHECK == 0 && timeout.shouldExit()) {
            // the check does not say which ended the search: only cancellation is installed while the query is
            // rewritten, but a rescore query rewritten later also holds the search's timeout
            throw new TaskCancelledException("the search was cancelled (or ran out of time) during an exact vector scan");
        }
    }
}
