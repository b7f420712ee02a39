package org.recommender.tools.cluster;

import java.util.List;

/**
 * What bulk-indexing one file achieved.
 *
 * @param index the index name
 * @param read documents read from the file
 * @param written documents OpenSearch accepted
 * @param failed documents it refused for good (after retries)
 * @param firstFailures the first few of those, for the summary
 * @param count the index's {@code _count} after the final refresh
 * @param resumedFrom leading documents an interrupted earlier run had finished, skipped by this one (included in
 *     {@code read}, {@code written} and {@code failed})
 * @param seconds wall-clock time of this run
 */
public record IndexReport(String index, long read, long written, long failed, List<BulkItemFailure> firstFailures, long count, long resumedFrom, double seconds) {
    /** How many failures are kept for the summary. */
    public static final int FAILURES_KEPT = 10;

    /** @return whether every document was accepted and the index holds exactly those documents */
    public boolean complete() {
        return failed == 0 && written == read && count == written;
    }
}
