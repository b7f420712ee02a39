package org.recommender.plugin.action.model;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.action.ActionListenerResponseHandler;
import org.opensearch.action.support.GroupedActionListener;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.transport.TransportResponse;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportRequestOptions;
import org.opensearch.transport.TransportService;
import org.recommender.plugin.store.ModelStoreService;

import java.util.Collection;

/**
 * Drops a deleted model from the compiled-model cache of every node, not only the one that ran the delete: a node
 * never serves a deleted model (every pin reads the store), but it kept the compiled weights — and their bytes in its
 * {@code recommender} breaker — until the cache evicted them, up to {@code recommender.model.cache.size} per node.
 *
 * <p>The per-node request is a sub-request of the delete ({@value #ACTION}), as OpenSearch names the node-level
 * requests of its own actions, so deleting needs no permission beyond the delete's. A node that does not answer
 * within {@link #TIMEOUT} (or left the cluster) does not fail the delete, which has happened: it is logged, and that
 * node drops the model when its cache evicts it, as before.
 */
final class CompiledModelEviction {
    /** The node-level request's action name. */
    static final String ACTION = DeleteModelAction.NAME + "[evict]";

    /** How long the delete waits for a node to drop the model. */
    static final TimeValue TIMEOUT = TimeValue.timeValueSeconds(10);

    private static final Logger LOG = LogManager.getLogger(CompiledModelEviction.class);

    private final TransportService transport;
    private final ClusterService clusterService;

    /** Registers this node's handler of the eviction request. */
    CompiledModelEviction(TransportService transport, ClusterService clusterService, ModelStoreService store) {
        this.transport = transport;
        this.clusterService = clusterService;
        // the node's request is the delete's own (the id): a sub-request, as OpenSearch's node-level requests are
        transport.registerRequestHandler(ACTION, ThreadPool.Names.SAME, DeleteModelAction.Request::new, (request, channel, task) -> {
            store.forgetCompiled(request.id());
            channel.sendResponse(TransportResponse.Empty.INSTANCE);
        });
    }

    /** Asks every node of the cluster to drop {@code id}; completes once each answered or failed (never fails). */
    void evictEverywhere(String id, ActionListener<Void> listener) {
        Collection<DiscoveryNode> nodes = clusterService.state().nodes().getNodes().values();
        GroupedActionListener<TransportResponse.Empty> all = new GroupedActionListener<>(
            ActionListener.map(listener, (Collection<TransportResponse.Empty> answers) -> null),
            nodes.size()
        );
        TransportRequestOptions options = TransportRequestOptions.builder().withTimeout(TIMEOUT).build();
        for (DiscoveryNode node : nodes) {
            ActionListener<TransportResponse.Empty> answered = ActionListener.wrap(all::onResponse, e -> {
                LOG.warn(() -> "deleted model [" + id + "] could not be dropped from node [" + node.getName() + "]'s cache now", e);
                all.onResponse(TransportResponse.Empty.INSTANCE);
            });
            transport.sendRequest(node, ACTION, new DeleteModelAction.Request(id), options, new ActionListenerResponseHandler<>(answered, in -> TransportResponse.Empty.INSTANCE));
        }
    }
}
