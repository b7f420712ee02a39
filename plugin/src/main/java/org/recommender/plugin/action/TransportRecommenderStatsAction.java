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
import org.recommender.plugin.store.ModelCache;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fans the stats request out to nodes and collects their {@link RecommenderNodeStats}. */
public final class TransportRecommenderStatsAction extends TransportNodesAction<
    RecommenderStatsRequest,
    RecommenderStatsResponse,
    RecommenderStatsNodeRequest,
    RecommenderNodeStats> {

    private final NativeComputeService compute;
    private final RecommenderStats stats;
    private final ModelCache cache;

    /** Wired by the node's injector. */
    @Inject
    public TransportRecommenderStatsAction(
        ThreadPool threadPool,
        ClusterService clusterService,
        TransportService transportService,
        ActionFilters actionFilters,
        NativeComputeService compute,
        RecommenderStats stats,
        ModelCache cache
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
        this.cache = cache;
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
        Map<String, Long> counters = new LinkedHashMap<>(stats.snapshot());
        counters.put("models_cached", (long) cache.count());
        counters.put("model_cache_bytes", cache.weightBytes());
        counters.put("model_cache_hits", cache.hits());
        counters.put("model_cache_misses", cache.misses());
        counters.put("model_loads", cache.loads());
        return new RecommenderNodeStats(clusterService.localNode(), compute.report(), compute.placement(), counters, compute.kernels().jvmBatchKernel());
    }
}
