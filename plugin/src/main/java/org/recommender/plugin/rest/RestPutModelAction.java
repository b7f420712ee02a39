package org.recommender.plugin.rest;

import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestStatusToXContentListener;
import org.opensearch.transport.client.node.NodeClient;
import org.recommender.plugin.action.model.PutModelAction;

import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * {@code PUT|POST /_plugins/_recommender/models/{id}} with {@code {"bundle": "<base64>", "description": "…"}}:
 * stores the bundle as the next version of the model.
 */
public final class RestPutModelAction extends BaseRestHandler {
    @Override
    public String getName() {
        return "recommender_put_model";
    }

    @Override
    public List<Route> routes() {
        String path = RestRecommenderStatsAction.BASE + "/models/{id}";
        return List.of(new Route(RestRequest.Method.PUT, path), new Route(RestRequest.Method.POST, path));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String id = request.param("id");
        if (request.hasContentOrSourceParam() == false) {
            throw new IllegalArgumentException("request body is required: {\"bundle\": \"<base64 model bundle>\"}");
        }
        BytesReference bundle = null;
        String description = null;
        try (XContentParser parser = request.contentParser()) {
            if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
                throw new IllegalArgumentException("request body must be a JSON object");
            }
            for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_OBJECT; token = parser.nextToken()) {
                String field = parser.currentName();
                token = parser.nextToken();
                switch (field) {
                    case "bundle" -> {
                        if (token != XContentParser.Token.VALUE_STRING) {
                            throw new IllegalArgumentException("[bundle] must be a base64 string");
                        }
                        try {
                            bundle = new BytesArray(Base64.getDecoder().decode(parser.text()));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("[bundle] is not valid base64: " + e.getMessage());
                        }
                    }
                    case "description" -> {
                        if (token != XContentParser.Token.VALUE_STRING) {
                            throw new IllegalArgumentException("[description] must be a string");
                        }
                        description = parser.text();
                    }
                    default -> throw new IllegalArgumentException("unknown field [" + field + "]; expected [bundle, description]");
                }
            }
        }
        if (bundle == null) {
            throw new IllegalArgumentException("[bundle] is required");
        }
        PutModelAction.Request put = new PutModelAction.Request(id, bundle, description);
        return channel -> client.execute(
            PutModelAction.INSTANCE,
            put,
            new RestStatusToXContentListener<>(channel, r -> RestRecommenderStatsAction.BASE + "/models/" + r.model().id())
        );
    }
}
