package org.recommender.plugin.query;

import org.apache.lucene.util.SetOnce;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.transport.client.Client;
import org.recommender.core.vector.EmbeddingValidator;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Who to recommend for, shared by every surface:
 * <ul>
 *   <li>{@code {"vector": [...]}} — the user vector inline;</li>
 *   <li>{@code {"id": "u1", "index": "users", "field": "embedding"}} — the vector stored in a user document;</li>
 *   <li>{@code {"history": ["i9", "i4"], "index": "items", "field": "embedding", "encoder": "mean"}} — the mean of
 *       the vectors of items the user interacted with (cold start, anonymous sessions).</li>
 * </ul>
 * Lookups are resolved once per request, asynchronously, while the request is rewritten on the coordinating node.
 */
public final class UserSpec implements Writeable, ToXContentObject {
    private final float[] vector;
    private final String id;
    private final List<String> history;
    private final String index;
    private final String field;

    private UserSpec(float[] vector, String id, List<String> history, String index, String field) {
        this.vector = vector;
        this.id = id;
        this.history = history;
        this.index = index;
        this.field = field;
    }

    /** @return a spec holding {@code vector} inline */
    public static UserSpec ofVector(float[] vector) {
        EmbeddingValidator.checkElements("user.vector", vector);
        return new UserSpec(vector, null, null, null, null);
    }

    /** Reads a spec from the wire. */
    public UserSpec(StreamInput in) throws IOException {
        this.vector = in.readBoolean() ? in.readFloatArray() : null;
        this.id = in.readOptionalString();
        this.history = in.readOptionalStringList();
        this.index = in.readOptionalString();
        this.field = in.readOptionalString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeBoolean(vector != null);
        if (vector != null) {
            out.writeFloatArray(vector);
        }
        out.writeOptionalString(id);
        out.writeOptionalStringCollection(history);
        out.writeOptionalString(index);
        out.writeOptionalString(field);
    }

    /** @return the inline vector, or {@code null} when the spec needs a lookup */
    public float[] vector() {
        return vector;
    }

    /** @return the user document's id, or {@code null} when the spec is not a lookup */
    public String id() {
        return id;
    }

    /** @return the item ids of a history spec, or {@code null} */
    public List<String> history() {
        return history;
    }

    /** @return the index of a lookup or history spec, or {@code null} */
    public String index() {
        return index;
    }

    /** @return the vector field of a lookup or history spec, or {@code null} */
    public String field() {
        return field;
    }

    /**
     * Parses the {@code user} object; the parser is on its START_OBJECT. The object is read token by token, so a
     * value nested where none belongs is refused at once, however deep it goes.
     *
     * @throws IllegalArgumentException naming the offending {@code user.*} field
     */
    public static UserSpec parse(XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException("[user] must be an object: {\"vector\": [...]}, {\"id\", \"index\", \"field\"} or {\"history\", \"index\", \"field\"}");
        }
        Fields f = FIELDS.parse(parser);
        int kinds = (f.vector != null ? 1 : 0) + (f.id != null ? 1 : 0) + (f.history != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException("[user] needs exactly one of [vector], [id] or [history]");
        }
        if (f.vector != null) {
            if (f.index != null || f.field != null) {
                throw new IllegalArgumentException("[user.vector] takes no [index] or [field]");
            }
            return ofVector(f.vector);
        }
        if (f.index == null || f.field == null) {
            throw new IllegalArgumentException("[user." + (f.id != null ? "id" : "history") + "] needs [user.index] and [user.field]");
        }
        if (f.history != null && f.history.isEmpty()) {
            throw new IllegalArgumentException("[user.history] must name at least one item");
        }
        return new UserSpec(null, f.id, f.history, f.index, f.field);
    }

    /** The object's fields while it is read. */
    private static final class Fields {
        float[] vector;
        String id;
        List<String> history;
        String index;
        String field;
    }

    private static final StrictObjectParser<Fields> FIELDS = StrictObjectParser.nested("user", Fields::new)
        .value("vector", p -> floats(p, "user.vector"), (f, v) -> f.vector = v)
        .text("id", (f, v) -> f.id = v)
        .value("history", p -> StrictValues.texts(p, "user.history"), (f, v) -> f.history = v)
        .value("encoder", p -> {
            if (p.currentToken() != XContentParser.Token.VALUE_STRING || "mean".equals(p.text()) == false) {
                throw new IllegalArgumentException("[user.encoder] must be [mean]");
            }
            return "mean";
        }, (f, v) -> {})
        .text("index", (f, v) -> f.index = v)
        .text("field", (f, v) -> f.field = v);

    /**
     * Looks the vector up (the stored user document, or the mean of the history items' vectors) by the rules every
     * surface shares ({@link UserLookup}); a stored user without a vector is a 404.
     */
    public void resolve(Client client, ActionListener<float[]> listener) {
        if (vector != null) {
            listener.onResponse(vector);
            return;
        }
        UserLookup.resolve(client, List.of(this), UserLookup.NO_COLD_START, ActionListener.wrap(users -> {
            float[] resolved = users.get(0).vector();
            if (resolved == null) {
                throw UserLookup.noVector(this, UserLookup.NO_COLD_START, "");
            }
            listener.onResponse(resolved);
        }, listener::onFailure));
    }

    /**
     * Registers the lookup as an async action of the request's rewrite.
     *
     * @return where the vector will be once the rewrite's async actions have run
     */
    public SetOnce<float[]> resolveDuringRewrite(QueryRewriteContext ctx) {
        SetOnce<float[]> resolved = new SetOnce<>();
        ctx.registerAsyncAction((client, listener) -> resolve(client, ActionListener.map(listener, v -> {
            resolved.set(v);
            return null;
        })));
        return resolved;
    }

    /** Reads an array of numbers at the parser's current token. */
    private static float[] floats(XContentParser parser, String name) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw new IllegalArgumentException("[" + name + "] must be an array of numbers");
        }
        float[] out = new float[16];
        int n = 0;
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
                throw new IllegalArgumentException("[" + name + "] element [" + n + "] must be a number");
            }
            if (n == EmbeddingValidator.MAX_DIMENSIONS) {
                throw new IllegalArgumentException("[" + name + "] has more than " + EmbeddingValidator.MAX_DIMENSIONS + " elements");
            }
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, n * 2);
            }
            out[n++] = parser.floatValue();
        }
        return java.util.Arrays.copyOf(out, n);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        if (vector != null) {
            builder.field("vector", vector);
        }
        if (id != null) {
            builder.field("id", id);
        }
        if (history != null) {
            builder.field("history", history);
            builder.field("encoder", "mean");
        }
        if (index != null) {
            builder.field("index", index);
        }
        if (field != null) {
            builder.field("field", field);
        }
        return builder.endObject();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserSpec u
            && java.util.Arrays.equals(vector, u.vector)
            && Objects.equals(id, u.id)
            && Objects.equals(history, u.history)
            && Objects.equals(index, u.index)
            && Objects.equals(field, u.field);
    }

    @Override
    public int hashCode() {
        return Objects.hash(java.util.Arrays.hashCode(vector), id, history, index, field);
    }
}
