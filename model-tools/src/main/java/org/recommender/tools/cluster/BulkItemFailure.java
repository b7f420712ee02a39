package org.recommender.tools.cluster;

/**
 * One document of a bulk request that OpenSearch did not accept.
 *
 * @param id the document id
 * @param status the per-item HTTP status (429 when the node was too busy)
 * @param reason OpenSearch's {@code type: reason}
 */
public record BulkItemFailure(String id, int status, String reason) {
    /** @return whether sending the document again may succeed */
    public boolean retryable() {
        return RetryPolicy.retryableStatus(status);
    }
}
