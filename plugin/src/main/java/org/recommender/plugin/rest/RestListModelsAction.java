package org.recommender.plugin.rest;

import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;
import org.recommender.plugin.action.model.ListModelsAction;

import java.util.List;

/**
 * {@code GET /_plugins/_recommender/models[?from=0&size=100]}: a page of the models' current versions, by id, without
 * bundle bytes or metadata, and how many models there are ({@code total}).
 */
public final class RestListModelsAction extends BaseRestHandler {
    @Override
    public String getName() {
        return "recommender_list_models";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, RestRecommenderStatsAction.BASE + "/models"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        int from = request.paramAsInt("from", 0);
        int size = request.paramAsInt("size", ListModelsAction.DEFAULT_SIZE);
        return channel -> client.execute(ListModelsAction.INSTANCE, new ListModelsAction.Request(from, size), new RestToXContentListener<>(channel));
    }
}
