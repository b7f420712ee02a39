package org.recommender.plugin.recommend;

import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchException;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.search.ShardSearchFailure;
import org.opensearch.core.rest.RestStatus;
import org.recommender.plugin.store.ClusterChurn;
import org.recommender.plugin.store.InvalidStoredModelException;

/**
 * When a {@code _recommend} runs again, and how soon: the one home of its retry policy. A request only reads, so a
 * failure caused by the cluster changing under it — its pinned model replaced twice (409), a node leaving, a shard
 * copy failing over — is worth running again from the start; a bad request never is.
 */
final class RetryPolicy {
    private RetryPolicy() {}

    /**
     * Runs of one request in all. With the doubling back-off of {@link #delayMillis} the last starts about 1.6 s after
     * the first: time for a leaving node's shards to fail over.
     */
    static final int ATTEMPTS = 7;

    /** Error metadata marking a failure worth running the whole request again for. */
    private static final String RETRYABLE = "opensearch.recommender_retryable";

    /** @return the pause before run {@code run + 1} (runs count from 0): 25, 50, 100, … ms */
    static long delayMillis(int run) {
        return 25L << run;
    }

    /** @return whether {@code e} came from the cluster changing rather than from the request */
    static boolean retryable(Exception e) {
        Throwable cause = ExceptionsHelper.unwrapCause(e);
        if (cause instanceof InvalidStoredModelException) {
            return false; // a broken store document stays broken
        }
        if (ExceptionsHelper.status(e) == RestStatus.CONFLICT || ClusterChurn.isTransient(e)) {
            return true;
        }
        return cause instanceof OpenSearchException oe && oe.getMetadata(RETRYABLE) != null;
    }

    /**
     * The failure for a candidate search that failed on some shards: partial candidates would silently drop items, so
     * the request fails — and runs again when the shard failed for a passing reason (5xx, 404, 409: a node leaving, a
     * replaced model) rather than a bad request. Not for 429: a full search queue or a tripped breaker says the node is
     * overloaded, and running the whole request again (its lookups, encoders and searches) up to {@link #ATTEMPTS}
     * times would multiply the load that refused it; the client gets the 429 and backs off.
     */
    static OpenSearchStatusException partialCandidates(ShardSearchFailure[] shardFailures) {
        OpenSearchStatusException failure = new OpenSearchStatusException(
            "candidate search failed on " + shardFailures.length + " shard(s): " + shardFailures[0].reason(),
            shardFailures[0].status(),
            shardFailures[0].getCause()
        );
        int status = shardFailures[0].status().getStatus();
        if (status >= 500 || status == 404 || status == 409) {
            failure.addMetadata(RETRYABLE, "true");
        }
        return failure;
    }
}
