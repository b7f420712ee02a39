package org.recommender.plugin.rest;

import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;
import org.recommender.plugin.action.model.ListModelsAction;

import java.util.List;

/** {@code GET /_plugins/_recommender/models}: every model's current version, without bundle bytes. */
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
        return channel -> client.execute(ListModelsAction.INSTANCE, new ListModelsAction.Request(), new RestToXContentListener<>(channel));
    }
}
