package org.recommender.plugin.action;

import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.recommender.plugin.compute.NativeComputeService;
import org.recommender.plugin.stats.RecommenderStats;

import java.io.IOException;
import java.util.List;

/** Fans the stats request out to nodes and collects their {@link RecommenderNodeStats}. */
public final class TransportRecommenderStatsAction extends TransportNodesAction<
    RecommenderStatsRequest,
    RecommenderStatsResponse,
    RecommenderStatsNodeRequest,
    RecommenderNodeStats> {

    private final NativeComputeService compute;
    private final RecommenderStats stats;

    /** Wired by the node's injector. */
    @Inject
    public TransportRecommenderStatsAction(
        ThreadPool threadPool,
        ClusterService clusterService,
        TransportService transportService,
        ActionFilters actionFilters,
        NativeComputeService compute,
        RecommenderStats stats
    ) {
        super(
            RecommenderStatsAction.NAME,
            threadPool,
            clusterService,
            transportService,
            actionFilters,
            RecommenderStatsRequest::new,
            RecommenderStatsNodeRequest::new,
            ThreadPool.Names.MANAGEMENT,
            RecommenderNodeStats.class
        );
        this.compute = compute;
        this.stats = stats;
    }

    @Override
    protected RecommenderStatsResponse newResponse(
        RecommenderStatsRequest request,
        List<RecommenderNodeStats> responses,
        List<FailedNodeException> failures
    ) {
        return new RecommenderStatsResponse(clusterService.getClusterName(), responses, failures);
    }

    @Override
    protected RecommenderStatsNodeRequest newNodeRequest(RecommenderStatsRequest request) {
        return new RecommenderStatsNodeRequest();
    }

    @Override
    protected RecommenderNodeStats newNodeResponse(StreamInput in) throws IOException {
        return new RecommenderNodeStats(in);
    }

    @Override
    protected RecommenderNodeStats nodeOperation(RecommenderStatsNodeRequest request) {
        stats.statsRequest();
        return new RecommenderNodeStats(clusterService.localNode(), compute.report(), stats.snapshot());
    }
}
