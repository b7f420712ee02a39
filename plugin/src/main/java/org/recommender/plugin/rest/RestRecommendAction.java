package org.recommender.plugin.rest;

import org.opensearch.core.common.Strings;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestCancellableNodeClient;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;
import org.recommender.plugin.action.recommend.RecommendAction;
import org.recommender.plugin.action.recommend.RecommendRequest;

import java.io.IOException;
import java.util.List;

/** {@code POST|GET /{index}/_recommend}: items of {@code index} (an index, alias or pattern) for one or many users. */
public final class RestRecommendAction extends BaseRestHandler {
    @Override
    public String getName() {
        return "recommender_recommend";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.POST, "/{index}/_recommend"), new Route(RestRequest.Method.GET, "/{index}/_recommend"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        if (request.hasContentOrSourceParam() == false) {
            throw new IllegalArgumentException("[_recommend] needs a JSON body with at least [field] and [user]");
        }
        RecommendRequest recommend = new RecommendRequest(Strings.splitStringByCommaToArray(request.param("index")));
        try (XContentParser parser = request.contentOrSourceParamParser()) {
            recommend.parse(parser);
        }
        // the request's task is cancelled when the client closes the connection
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
            .execute(RecommendAction.INSTANCE, recommend, new RestToXContentListener<>(channel));
    }
}
