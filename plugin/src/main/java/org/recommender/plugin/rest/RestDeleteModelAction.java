package org.recommender.plugin.rest;

import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;
import org.recommender.plugin.action.model.DeleteModelAction;

import java.util.List;

/** {@code DELETE /_plugins/_recommender/models/{id}}. */
public final class RestDeleteModelAction extends BaseRestHandler {
    @Override
    public String getName() {
        return "recommender_delete_model";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.DELETE, RestRecommenderStatsAction.BASE + "/models/{id}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        DeleteModelAction.Request delete = new DeleteModelAction.Request(request.param("id"));
        return channel -> client.execute(DeleteModelAction.INSTANCE, delete, new RestToXContentListener<>(channel));
    }
}
