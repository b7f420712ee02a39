package org.recommender.plugin.rest;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.lease.Releasable;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestStatusToXContentListener;
import org.opensearch.transport.client.node.NodeClient;
import org.recommender.core.model.BundleBase64;
import org.recommender.plugin.action.model.PutModelAction;
import org.recommender.plugin.query.StrictObjectParser;
import org.recommender.plugin.store.ModelMemory;
import org.recommender.plugin.store.ModelStoreService;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code PUT|POST /_plugins/_recommender/models/{id}} with {@code {"bundle": …, "description": "…"}}: stores the
 * bundle as the next version of the model. {@code bundle} is one base64 string, an array of base64 strings (chunks
 * concatenated in order: how a bundle larger than JSON's longest string travels, see {@link BundleBase64}), or raw
 * bytes in a binary body ({@code application/cbor} or {@code application/smile}).
 *
 * <p>A body too long to hold a bundle of {@code recommender.model.max_size} is answered 413 before it is parsed; the
 * decoded bundle is reserved in the plugin's breaker before it is decoded (429 when it does not fit) and released
 * when the upload ends.
 */
public final class RestPutModelAction extends BaseRestHandler {
    /** Slack over the base64 size of the largest bundle: the other fields, white space and chunk separators. */
    private static final long BODY_SLACK = 1 << 20;

    private final Supplier<ModelStoreService> store;
    private final ModelMemory memory;

    /**
     * @param store the node's model store (created after the handlers are registered, so looked up per request)
     * @param memory the plugin's breaker
     */
    public RestPutModelAction(Supplier<ModelStoreService> store, ModelMemory memory) {
        this.store = store;
        this.memory = memory;
    }

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
        long maxBundle = store.get().maxModelBytes();
        long length = request.content().length();
        if (length > (maxBundle + 2) / 3 * 4 + BODY_SLACK) {
            throw new OpenSearchStatusException(
                "the body of model [" + id + "] is " + length + " bytes, more than a bundle of [" + ModelStoreService.MAX_MODEL_SIZE.getKey()
                    + "] = " + maxBundle + " bytes needs",
                RestStatus.REQUEST_ENTITY_TOO_LARGE
            );
        }
        // Reserved and parsed in the consumer: OpenSearch refuses a parameter this handler does not read (400) after
        // prepareRequest returns and then never runs the consumer, so a reservation made here was never returned
        return channel -> {
            // the decoded bundle is at most as long as the body (base64 is 4/3 of it; a binary body holds it as it is)
            Releasable decoded = memory.reserve(length, "decode the upload of model [" + id + "]");
            PutModelAction.Request put;
            try {
                put = parse(id, request);
            } catch (IOException e) {
                decoded.close();
                // the JSON layer refuses one string longer than it allows (50 million characters): a bundle that large
                // must come as chunks
                String message = String.valueOf(e.getMessage());
                if (message.contains("length") && message.contains("exceeds")) {
                    throw new OpenSearchStatusException(
                        "[bundle] of model [" + id + "] is one string longer than the JSON layer reads (" + message
                            + "); send a bundle of more than 1 MiB as an array of base64 chunks",
                        RestStatus.REQUEST_ENTITY_TOO_LARGE
                    );
                }
                throw new IllegalArgumentException("the body of model [" + id + "] could not be read: " + message, e);
            } catch (RuntimeException e) {
                decoded.close();
                throw e;
            }
            client.execute(
                PutModelAction.INSTANCE,
                put,
                ActionListener.runAfter(
                    new RestStatusToXContentListener<>(channel, r -> RestRecommenderStatsAction.BASE + "/models/" + r.model().id()),
                    decoded::close
                )
            );
        };
    }

    private static PutModelAction.Request parse(String id, RestRequest request) throws IOException {
        Body body;
        try (XContentParser parser = request.contentParser()) {
            body = BODY.parseBody(parser);
        }
        if (body.bundle == null) {
            throw new IllegalArgumentException("[bundle] is required");
        }
        return new PutModelAction.Request(id, body.bundle, body.description);
    }

    /** The body's fields while they are read. */
    private static final class Body {
        BytesReference bundle;
        String description;
    }

    private static final StrictObjectParser<Body> BODY = StrictObjectParser.root("model", Body::new)
        .value("bundle", RestPutModelAction::bundle, (b, v) -> b.bundle = v)
        .value("description", p -> {
            if (p.currentToken() != XContentParser.Token.VALUE_STRING) {
                throw new IllegalArgumentException("[description] must be a string");
            }
            return p.text(); // may be empty
        }, (b, v) -> b.description = v);

    /** Reads {@code bundle}: one base64 string, an array of base64 chunks, or embedded binary (CBOR, Smile). */
    private static BytesReference bundle(XContentParser parser) throws IOException {
        XContentParser.Token token = parser.currentToken();
        BytesStreamOutput out = new BytesStreamOutput(); // heap pages, not recycled: nothing to release
        if (token == XContentParser.Token.VALUE_STRING) {
            out.write(BundleBase64.decodeChunk(parser.text(), "bundle"));
        } else if (token == XContentParser.Token.VALUE_EMBEDDED_OBJECT) {
            out.write(parser.binaryValue());
        } else if (token == XContentParser.Token.START_ARRAY) {
            int i = 0;
            for (XContentParser.Token chunk = parser.nextToken(); chunk != XContentParser.Token.END_ARRAY; chunk = parser.nextToken(), i++) {
                if (chunk != XContentParser.Token.VALUE_STRING) {
                    throw new IllegalArgumentException("[bundle][" + i + "] must be a base64 string");
                }
                out.write(BundleBase64.decodeChunk(parser.text(), "bundle][" + i));
            }
            if (i == 0) {
                throw new IllegalArgumentException("[bundle] must not be an empty array");
            }
        } else {
            throw new IllegalArgumentException("[bundle] must be a base64 string or an array of base64 strings");
        }
        return out.bytes();
    }
}
