package org.recommender.plugin.rest;

import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestActions;
import org.opensearch.transport.client.node.NodeClient;
import org.recommender.plugin.action.RecommenderStatsAction;
import org.recommender.plugin.action.RecommenderStatsRequest;

import java.util.List;

/**
 * {@code GET /_plugins/_recommender/stats} and {@code GET /_plugins/_recommender/{nodeId}/stats}: the compute
 * backend each node loaded, and its counters.
 */
public final class RestRecommenderStatsAction extends BaseRestHandler {
    /** The base path of every REST endpoint of this plugin. */
    public static final String BASE = "/_plugins/_recommender";

    @Override
    public String getName() {
        return "recommender_stats";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, BASE + "/stats"), new Route(RestRequest.Method.GET, BASE + "/{nodeId}/stats"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String[] nodeIds = Strings.splitStringByCommaToArray(request.param("nodeId"));
        RecommenderStatsRequest statsRequest = new RecommenderStatsRequest(nodeIds);
        statsRequest.timeout(request.param("timeout"));
        return channel -> client.execute(RecommenderStatsAction.INSTANCE, statsRequest, new RestActions.NodesResponseRestListener<>(channel));
    }
}
