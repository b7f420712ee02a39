package org.recommender.plugin.action.vectors;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.GroupedActionListener;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.index.Index;
import org.opensearch.indices.replication.common.ReplicationType;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.node.NodeClient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@value ItemVectorsAction#NAME}: resolves the index (a missing one fails the whole read with
 * {@code IndexNotFoundException}, as a get does), routes each id to its shard as a get would, and sends one
 * {@link ShardItemVectorsAction} per shard; answers the vectors in the request's order.
 */
public final class TransportItemVectorsAction extends HandledTransportAction<ItemVectorsAction.Request, ItemVectorsAction.Response> {
    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;
    private final NodeClient client;

    /** Wired by the node's injector. */
    @Inject
    public TransportItemVectorsAction(
        TransportService transportService,
        ActionFilters actionFilters,
        ClusterService clusterService,
        IndexNameExpressionResolver resolver,
        NodeClient client
    ) {
        super(ItemVectorsAction.NAME, transportService, actionFilters, ItemVectorsAction.Request::new);
        this.clusterService = clusterService;
        this.resolver = resolver;
        this.client = client;
    }

    /** One shard's answer and where its ids sit in the request. */
    private record Part(List<Integer> positions, ItemVectorsAction.Response response) {}

    @Override
    protected void doExecute(Task task, ItemVectorsAction.Request request, ActionListener<ItemVectorsAction.Response> listener) {
        List<String> ids = request.ids();
        try {
            ClusterState state = clusterService.state();
            Index index = resolver.concreteSingleIndex(state, request);
            IndexMetadata metadata = state.metadata().index(index);
            String preference = IndexMetadata.INDEX_REPLICATION_TYPE_SETTING.get(metadata.getSettings()) == ReplicationType.SEGMENT ? "_primary" : null;
            Map<Integer, List<Integer>> byShard = new LinkedHashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                int shard = clusterService.operationRouting().shardId(state, index.getName(), ids.get(i), null).id();
                byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(i);
            }
            if (byShard.isEmpty()) {
                listener.onResponse(new ItemVectorsAction.Response(true, new float[0][]));
                return;
            }
            GroupedActionListener<Part> parts = new GroupedActionListener<>(ActionListener.wrap((Collection<Part> done) -> {
                float[][] vectors = new float[ids.size()][];
                boolean lucene = true;
                for (Part part : done) {
                    lucene &= part.response().lucene();
                    for (int j = 0; j < part.positions().size(); j++) {
                        vectors[part.positions().get(j)] = part.response().vectors()[j];
                    }
                }
                listener.onResponse(new ItemVectorsAction.Response(lucene, vectors));
            }, listener::onFailure), byShard.size());
            for (Map.Entry<Integer, List<Integer>> shard : byShard.entrySet()) {
                List<String> shardIds = shard.getValue().stream().map(ids::get).toList();
                client.execute(
                    ShardItemVectorsAction.INSTANCE,
                    new ShardItemVectorsAction.Request(index.getName(), shard.getKey(), request.field(), shardIds, preference),
                    ActionListener.map(parts, response -> new Part(shard.getValue(), response))
                );
            }
        } catch (Exception e) {
            listener.onFailure(e);
        }
    }
}
