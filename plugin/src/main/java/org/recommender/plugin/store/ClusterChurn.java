package org.recommender.plugin.store;

import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.NoShardAvailableActionException;
import org.opensearch.action.UnavailableShardsException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.node.NodeClosedException;
import org.opensearch.transport.ConnectTransportException;

/**
 * Recognises failures that come from the cluster changing under a request — a node leaving before its shards
 * failed over, a connection to it dropping — rather than from the request. The model store's reads and
 * {@code _recommend} only read, so such a failure is worth running again once the cluster has moved on; if it
 * persists, the caller gets 503 (try again), never a 500.
 */
public final class ClusterChurn {
    private ClusterChurn() {}

    /**
     * @return whether {@code e} or any exception in its cause chain is a passing failure of a node or shard copy: a
     *     search phase that failed because the node holding its shard left arrives as a
     *     {@code SearchPhaseExecutionException} caused by a {@code NodeNotConnectedException}
     */
    public static boolean isTransient(Exception e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            Throwable cause = ExceptionsHelper.unwrapCause(t);
            if (cause instanceof ConnectTransportException // NodeNotConnected / NodeDisconnected included
                || cause instanceof NoShardAvailableActionException
                || cause instanceof UnavailableShardsException
                || cause instanceof NodeClosedException) {
                return true;
            }
        }
        return false;
    }

    /** @return {@code e} as a 503 when it is transient, else {@code e} itself */
    public static Exception asUnavailable(Exception e) {
        if (isTransient(e) == false || ExceptionsHelper.status(e) == RestStatus.SERVICE_UNAVAILABLE) {
            return e;
        }
        return new OpenSearchStatusException(
            "the cluster changed while the request ran and it did not settle in time; retry the request ["
                + ExceptionsHelper.unwrapCause(e).getMessage() + "]",
            RestStatus.SERVICE_UNAVAILABLE,
            e
        );
    }
}
