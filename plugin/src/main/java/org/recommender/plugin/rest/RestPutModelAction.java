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
            // the decoded bundle is at most as long as the body (base64 is 4/3 of it; a binary body holds it as it is);
            // a bundle sent as one base64 string is held several times over while it is read (see ONE_STRING_COPIES)
            Releasable decoded = memory.reserve(
                (sentAsOneString(request) ? ONE_STRING_COPIES : 1) * length,
                "decode the upload of model [" + id + "]"
            );
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

    /**
     * Copies of the body a bundle sent as one base64 string takes while it is read: the JSON parser's text buffer (two
     * bytes a character), the string made of it, and the decoded bytes with their copy into the request — about five
     * times the body, counted from the copies the code makes (not measured), where chunks of at most 1 MiB each hold one chunk's worth at a time beside the decoded bundle.
     * Reserved before any of them is made, once the first pass ({@link #sentAsOneString}) has seen the value's kind.
     */
    static final int ONE_STRING_COPIES = 5;

    /**
     * @return whether the body's {@code bundle} is one string: a pass over the body's tokens that skips every value
     *     without reading it (a string is skipped, not copied), so it costs a scan of the body and no memory
     */
    private static boolean sentAsOneString(RestRequest request) {
        try (XContentParser parser = request.contentParser()) {
            if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
                return false;
            }
            for (XContentParser.Token token = parser.nextToken(); token == XContentParser.Token.FIELD_NAME; token = parser.nextToken()) {
                boolean bundle = "bundle".equals(parser.currentName());
                XContentParser.Token value = parser.nextToken();
                if (bundle) {
                    return value == XContentParser.Token.VALUE_STRING;
                }
                parser.skipChildren();
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // a body that does not parse is refused by the parse that follows, with its reason
        }
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
