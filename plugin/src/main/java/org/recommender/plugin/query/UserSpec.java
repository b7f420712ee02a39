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
import org.recommender.core.vector.BestScore;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.plugin.store.ModelIds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who to recommend for, shared by every surface:
 * <ul>
 *   <li>{@code {"vector": [...]}} — the user vector inline;</li>
 *   <li>{@code {"id": "u1", "index": "users", "field": "embedding"}} — the vector stored in a user document;</li>
 *   <li>{@code {"history": ["i9", "i4"], "index": "items", "field": "embedding"}} — the mean of the vectors of
 *       items the user interacted with (cold start, anonymous sessions); with {@code "encoder": "<model id>"}, the
 *       user vector a stored user encoder ({@code sasrec}, {@code gru4rec}, {@code multdae}) makes of those vectors,
 *       oldest first ({@link UserServices});</li>
 *   <li>{@code {"positive": ["i1"], "negative": ["i7"], "index": "items", "field": "embedding", "strategy": "average"}}
 *       — a user made of example items ({@link org.recommender.core.vector.ExampleEncoder}); with
 *       {@code "strategy": "best_score"} the examples themselves, every item scored against each ({@link BestScore}).</li>
 * </ul>
 * Every instance is valid: the factories and {@link #parse} refuse a bad spec with an {@link IllegalArgumentException}
 * naming its {@code user.*} field (a 400), so a spec built in Java passes the checks a parsed one does. Lookups are
 * resolved once per request, asynchronously, while the request is rewritten on the coordinating node, by
 * {@link UserLookup}.
 */
public final class UserSpec implements Writeable, ToXContentObject {
    /** Qdrant's {@code average_vector}: {@code 2·mean(positive) − mean(negative)}, the default. */
    public static final String AVERAGE = "average";
    /** Qdrant's {@code best_score}: each item scored against every example ({@link BestScore}); no single user vector. */
    public static final String BEST_SCORE = "best_score";
    /** The example strategies this release serves. */
    public static final List<String> STRATEGIES = List.of(AVERAGE, BEST_SCORE);

    private final float[] vector;
    private final String id;
    private final List<String> history;
    private final String index;
    private final String field;
    /** Example spec only (else {@code null}): at least one id. */
    private final List<String> positive;
    /** Example spec only (else {@code null}): possibly empty. */
    private final List<String> negative;
    /** Example spec only (else {@code null}): one of {@link #STRATEGIES}. */
    private final String strategy;
    /** History spec only: the stored user encoder's model id, or {@code null} for the mean. */
    private final String encoder;

    private UserSpec(float[] vector, String id, List<String> history, String index, String field) {
        this(vector, id, history, index, field, null, null, null, null);
    }

    private UserSpec(
        float[] vector,
        String id,
        List<String> history,
        String index,
        String field,
        List<String> positive,
        List<String> negative,
        String strategy,
        String encoder
    ) {
        this.encoder = encoder;
        this.vector = vector;
        this.id = id;
        this.history = history;
        this.index = index;
        this.field = field;
        this.positive = positive;
        this.negative = negative;
        this.strategy = strategy;
    }

    /** @return a spec holding {@code vector} inline */
    public static UserSpec ofVector(float[] vector) {
        EmbeddingValidator.checkElements("user.vector", vector);
        return new UserSpec(vector, null, null, null, null);
    }

    /**
     * A user made of example items, whose vectors are read from {@code field} of {@code index}.
     *
     * @param positive ids of items the user is like: at least one
     * @param negative ids of items the user is not like; {@code null} or empty for none
     * @param strategy how the examples combine: {@code null} for {@link #AVERAGE}, else one of {@link #STRATEGIES}
     * @throws IllegalArgumentException naming the {@code user.*} field at fault
     */
    public static UserSpec ofExamples(List<String> positive, List<String> negative, String strategy, String index, String field) {
        if (positive == null || positive.isEmpty()) {
            throw new IllegalArgumentException("[user.positive] must name at least one item");
        }
        checkIds("user.positive", positive);
        negative = negative == null ? List.of() : negative;
        checkIds("user.negative", negative);
        strategy = strategy == null ? AVERAGE : strategy;
        if (STRATEGIES.contains(strategy) == false) {
            throw new IllegalArgumentException("[user.strategy] must be one of " + STRATEGIES + " but was [" + strategy + "]");
        }
        if (BEST_SCORE.equals(strategy)) {
            // every item is compared with every example, on every candidate of every shard: bounded before anything is read
            java.util.Set<String> distinct = new java.util.HashSet<>(positive);
            distinct.addAll(negative);
            if (distinct.size() > BestScore.MAX_EXAMPLES) {
                throw new IllegalArgumentException(
                    "[user.positive] and [user.negative] name " + distinct.size() + " distinct items but [user.strategy] [best_score] compares every"
                        + " item with every example: at most " + BestScore.MAX_EXAMPLES
                );
            }
        }
        if (index == null || field == null) {
            throw new IllegalArgumentException("[user.positive] needs [user.index] and [user.field]");
        }
        return new UserSpec(null, null, null, index, field, List.copyOf(positive), List.copyOf(negative), strategy, null);
    }

    /**
     * A user made of a history: the items' vectors are read from {@code field} of {@code index}, oldest first.
     *
     * @param encoder a stored user encoder's model id, or {@code null} (or {@code "mean"}) for the mean of the
     *     distinct items' vectors
     * @throws IllegalArgumentException naming the {@code user.*} field at fault
     */
    public static UserSpec ofHistory(List<String> history, String index, String field, String encoder) {
        if (history == null || history.isEmpty()) {
            throw new IllegalArgumentException("[user.history] must name at least one item");
        }
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i) == null) {
                throw new IllegalArgumentException("[user.history][" + i + "] must be a string");
            }
        }
        if (index == null || field == null) {
            throw new IllegalArgumentException("[user.history] needs [user.index] and [user.field]");
        }
        return new UserSpec(null, null, List.copyOf(history), index, field, null, null, null, encoderId(encoder));
    }

    /** @return {@code null} for the mean, else a valid model id (400 naming {@code user.encoder} otherwise) */
    private static String encoderId(String encoder) {
        return ModelIds.encoder("[user.encoder]", encoder, MEAN);
    }

    /** The {@code encoder} that means the plain mean of the history items' vectors (the default). */
    public static final String MEAN = "mean";

    private static void checkIds(String name, List<String> ids) {
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null || ids.get(i).isEmpty()) {
                throw new IllegalArgumentException("[" + name + "][" + i + "] must be a non-empty string");
            }
        }
    }

    /** Reads a spec from the wire. */
    public UserSpec(StreamInput in) throws IOException {
        this.vector = in.readBoolean() ? in.readFloatArray() : null;
        this.id = in.readOptionalString();
        this.history = in.readOptionalStringList();
        this.index = in.readOptionalString();
        this.field = in.readOptionalString();
        // appended after the older fields, ungated like every other plugin stream: the stream version is
        // OpenSearch's, and a plugin build is tied to one OpenSearch release, so no version tells two builds apart
        this.positive = in.readOptionalStringList();
        this.negative = in.readOptionalStringList();
        // a history spec's encoder travels in the example strategy's slot (a history spec has no strategy), so the
        // stream keeps the layout of builds without encoders: a node of such a build reads a spec sent by this one,
        // and this build reads theirs (a history there has no encoder, the mean). Only the coordinating node resolves
        // a spec; shards get it already resolved beside its vector and never read the encoder
        String strategyOrEncoder = in.readOptionalString();
        this.strategy = positive != null ? strategyOrEncoder : null;
        this.encoder = positive == null && history != null ? strategyOrEncoder : null;
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
        out.writeOptionalStringCollection(positive);
        out.writeOptionalStringCollection(negative);
        out.writeOptionalString(positive != null ? strategy : encoder);
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

    /** @return the ids of items the user is like, or {@code null} when the spec is not made of examples */
    public List<String> positive() {
        return positive;
    }

    /** @return the ids of items the user is not like (possibly none), or {@code null} when the spec is not made of examples */
    public List<String> negative() {
        return negative;
    }

    /** @return how the examples combine (one of {@link #STRATEGIES}), or {@code null} when the spec is not made of examples */
    public String strategy() {
        return strategy;
    }

    /** @return whether this is an example spec with the {@code best_score} strategy (resolved to examples, not a vector) */
    public boolean bestScore() {
        return BEST_SCORE.equals(strategy);
    }

    /** @return a history spec's user encoder (a stored model id), or {@code null} for the mean and other specs */
    public String encoder() {
        return encoder;
    }

    /** @return every example id, positive then negative (empty when the spec is not made of examples) */
    public List<String> examples() {
        if (positive == null) {
            return List.of();
        }
        List<String> all = new ArrayList<>(positive);
        all.addAll(negative);
        return all;
    }

    /** @return the index of a lookup, history or example spec, or {@code null} */
    public String index() {
        return index;
    }

    /** @return the vector field of a lookup, history or example spec, or {@code null} */
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
            throw new IllegalArgumentException(
                "[user] must be an object: {\"vector\": [...]}, {\"id\", \"index\", \"field\"}, {\"history\", \"index\", \"field\"}"
                    + " or {\"positive\", \"index\", \"field\"}"
            );
        }
        Fields f = FIELDS.parse(parser);
        List<String> kinds = new ArrayList<>();
        if (f.vector != null) {
            kinds.add("[user.vector]");
        }
        if (f.id != null) {
            kinds.add("[user.id]");
        }
        if (f.history != null) {
            kinds.add("[user.history]");
        }
        if (f.positive != null) {
            kinds.add("[user.positive]");
        }
        if (kinds.size() > 1) {
            throw new IllegalArgumentException(kinds.get(kinds.size() - 1) + " cannot be combined with " + String.join(" or ", kinds.subList(0, kinds.size() - 1)));
        }
        if (f.negative != null && f.positive == null) {
            throw new IllegalArgumentException("[user.negative] needs [user.positive]: a user is never made of negative examples alone");
        }
        if (f.strategy != null && f.positive == null) {
            throw new IllegalArgumentException("[user.strategy] applies only to [user.positive]");
        }
        if (f.encoder != null && f.history == null) {
            throw new IllegalArgumentException("[user.encoder] applies only to [user.history]");
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("[user] needs exactly one of [vector], [id], [history] or [positive]");
        }
        if (f.vector != null) {
            if (f.index != null || f.field != null) {
                throw new IllegalArgumentException("[user.vector] takes no [index] or [field]");
            }
            return ofVector(f.vector);
        }
        if (f.positive != null) {
            return ofExamples(f.positive, f.negative, f.strategy, f.index, f.field);
        }
        if (f.index == null || f.field == null) {
            throw new IllegalArgumentException("[user." + (f.id != null ? "id" : "history") + "] needs [user.index] and [user.field]");
        }
        if (f.history != null) {
            return ofHistory(f.history, f.index, f.field, f.encoder);
        }
        return new UserSpec(null, f.id, null, f.index, f.field);
    }

    /**
     * Most ids a {@code history}, {@code positive} or {@code negative} list may hold, repeats included: the most
     * distinct items one lookup reads ({@link UserLookup#MAX_HISTORY_READS}). Repeats cost one read each but are held
     * and sent to every shard as written, so they are counted here, as they are parsed.
     */
    public static final int MAX_LISTED = UserLookup.MAX_HISTORY_READS;

    /** The object's fields while it is read. */
    private static final class Fields {
        float[] vector;
        String id;
        List<String> history;
        String encoder;
        String index;
        String field;
        List<String> positive;
        List<String> negative;
        String strategy;
    }

    private static final StrictObjectParser<Fields> FIELDS = StrictObjectParser.nested("user", Fields::new)
        .value("vector", p -> floats(p, "user.vector"), (f, v) -> f.vector = v)
        .text("id", (f, v) -> f.id = v)
        .value("history", p -> StrictValues.texts(p, "user.history", MAX_LISTED), (f, v) -> f.history = v)
        .text("encoder", (f, v) -> f.encoder = v)
        .text("index", (f, v) -> f.index = v)
        .text("field", (f, v) -> f.field = v)
        .value("positive", p -> StrictValues.texts(p, "user.positive", MAX_LISTED), (f, v) -> f.positive = v)
        .value("negative", p -> StrictValues.texts(p, "user.negative", MAX_LISTED), (f, v) -> f.negative = v)
        .text("strategy", (f, v) -> f.strategy = v);

    /**
     * What a spec resolves to on the surfaces that take one user ({@code embedding_knn}, the rescorer), as shards
     * receive it: a vector, or for a {@code best_score} example user the examples themselves; and, for a history a
     * stored user encoder made into the vector, that encoder as explanations name it.
     *
     * @param vector the user vector, or {@code null} for a best-score user
     * @param examples the examples of a best-score user, or {@code null}
     * @param encodedBy the encoder that made {@code vector} ({@link UserServices.Pinned#label()}: id, the version this
     *     request pinned, type), or {@code null} for every other user
     */
    public record Resolved(float[] vector, BestScore examples, String encodedBy) {
        /** The stream's flag after the vector: nothing follows (older builds wrote {@code false} here). */
        private static final byte PLAIN = 0;
        /** The stream's flag after the vector: the examples follow (older builds wrote {@code true} here). */
        private static final byte EXAMPLES = 1;
        /** The stream's flag after the vector: the encoder's label follows. */
        private static final byte ENCODED = 2;

        /** A user without an encoder: a vector, or a best-score user's examples. */
        public Resolved(float[] vector, BestScore examples) {
            this(vector, examples, null);
        }

        /** @return a user known by its vector */
        public static Resolved of(float[] vector) {
            return new Resolved(vector, null, null);
        }

        /**
         * Reads what {@link #writeTo} wrote: the vector as older builds wrote it (empty for a best-score user), then
         * a flag and what it announces: the examples, or the encoder's label.
         */
        public static Resolved readFrom(StreamInput in) throws IOException {
            float[] vector = in.readFloatArray();
            byte flag = in.readByte();
            return switch (flag) {
                case PLAIN -> new Resolved(vector, null, null);
                case EXAMPLES -> new Resolved(null, BestScore.of(readVectors(in), readVectors(in)), null);
                case ENCODED -> new Resolved(vector, null, in.readString());
                default -> throw new IllegalStateException("unexpected resolved-user flag [" + flag + "]");
            };
        }

        /**
         * Writes the vector (empty for a best-score user), then a flag and the examples or the encoder's label. The
         * flag is the byte older builds wrote as a boolean (examples or not), so a user without an encoder keeps
         * their layout both ways; only an encoded user's label is new, and a node of an older build — including the
         * builds that already had encoders but sent the bare vector — refuses it rather than misreads it, so that
         * shard fails the request: finish a rolling upgrade before sending encoder specs (docs/reference.md).
         */
        public void writeTo(StreamOutput out) throws IOException {
            out.writeFloatArray(vector == null ? new float[0] : vector);
            if (examples != null) {
                out.writeByte(EXAMPLES);
                writeVectors(out, examples.positive());
                writeVectors(out, examples.negative());
            } else if (encodedBy != null) {
                out.writeByte(ENCODED);
                out.writeString(encodedBy);
            } else {
                out.writeByte(PLAIN);
            }
        }

        private static List<float[]> readVectors(StreamInput in) throws IOException {
            int count = in.readVInt();
            if (count > BestScore.MAX_EXAMPLES) {
                throw new IllegalArgumentException("a best-score user holds at most " + BestScore.MAX_EXAMPLES + " examples but " + count + " were sent");
            }
            List<float[]> vectors = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                vectors.add(in.readFloatArray());
            }
            return vectors;
        }

        private static void writeVectors(StreamOutput out, float[][] vectors) throws IOException {
            out.writeVInt(vectors.length);
            for (float[] v : vectors) {
                out.writeFloatArray(v);
            }
        }
    }

    /**
     * Looks users up (the stored user document, the mean of the history items' vectors, the examples' combination,
     * or a best-score user's examples) by the rules every surface shares ({@link UserLookup}), all in one lookup; a
     * stored user without a vector is a 404.
     *
     * @param listener receives one resolved user per spec, in order
     */
    static void resolveAll(Client client, UserServices userServices, List<UserSpec> specs, ActionListener<List<Resolved>> listener) {
        UserLookup.resolve(client, userServices, specs, UserLookup.NO_COLD_START, ActionListener.wrap(users -> {
            List<Resolved> resolved = new ArrayList<>(specs.size());
            for (int i = 0; i < specs.size(); i++) {
                UserLookup.User user = users.get(i);
                if (user.vector() == null && user.examples() == null) {
                    throw UserLookup.noVector(specs.get(i), UserLookup.NO_COLD_START, "");
                }
                resolved.add(new Resolved(user.vector(), user.examples(), user.encoder() == null ? null : user.encoder().label()));
            }
            listener.onResponse(resolved);
        }, listener::onFailure));
    }

    /**
     * Registers the lookup with the request's rewrite: charged first to the search's budget of lookups, then read
     * with every other lookup of the rewrite round ({@link UserServices#lookUp}).
     *
     * @param where how a refusal names the surface ({@code [embedding_knn]}, {@code [recommender] rescorer})
     * @return where the resolved user will be once the rewrite's async actions have run
     * @throws IllegalArgumentException when the search has asked for more users or items than one search may
     */
    public SetOnce<Resolved> resolveDuringRewrite(QueryRewriteContext ctx, UserServices userServices, String where) {
        return userServices.lookUp(ctx, this, where);
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
            builder.field("encoder", encoder == null ? MEAN : encoder);
        }
        if (index != null) {
            builder.field("index", index);
        }
        if (field != null) {
            builder.field("field", field);
        }
        if (positive != null) {
            builder.field("positive", positive);
            builder.field("negative", negative);
            builder.field("strategy", strategy);
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
            && Objects.equals(field, u.field)
            && Objects.equals(positive, u.positive)
            && Objects.equals(negative, u.negative)
            && Objects.equals(strategy, u.strategy)
            && Objects.equals(encoder, u.encoder);
    }

    @Override
    public int hashCode() {
        return Objects.hash(java.util.Arrays.hashCode(vector), id, history, index, field, positive, negative, strategy, encoder);
    }
}
