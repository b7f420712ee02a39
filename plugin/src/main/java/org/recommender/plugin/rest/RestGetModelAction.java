package org.recommender.plugin.rest;

import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;
import org.recommender.plugin.action.model.GetModelAction;

import java.util.List;

/** {@code GET /_plugins/_recommender/models/{id}[?include_bundle=true]}: the model's current version. */
public final class RestGetModelAction extends BaseRestHandler {
    @Override
    public String getName() {
        return "recommender_get_model";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, RestRecommenderStatsAction.BASE + "/models/{id}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        GetModelAction.Request get = new GetModelAction.Request(request.param("id"), request.paramAsBoolean("include_bundle", false));
        return channel -> client.execute(GetModelAction.INSTANCE, get, new RestToXContentListener<>(channel));
    }
}
