package org.recommender.plugin.action.recommend;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What {@code _recommend} answers: for each user the ranked items, how the user was represented ({@code strategy}),
 * the model id and version that scored them, {@code took}, and per-stage timings when asked. A request with
 * {@code user} gets the user's fields at the top level; one with {@code users} gets a {@code users} array.
 */
public final class RecommendResponse extends ActionResponse implements ToXContentObject {
    /** How a user's items were found. */
    public enum Strategy {
        /** The user's stored embedding. */
        EMBEDDING,
        /** A vector given inline in the request. */
        VECTOR,
        /** The mean of the embeddings of items in the user's history (cold start). */
        HISTORY,
        /** Neither vector nor history: items ranked by the request's fallback field. */
        FALLBACK;

        String externalName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The model that scored the items: a stored one ({@code id}, {@code version}) or the field's similarity. */
    public record ModelInfo(String id, long version, String type) implements Writeable {
        ModelInfo(StreamInput in) throws IOException {
            this(in.readOptionalString(), in.readLong(), in.readString());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeOptionalString(id);
            out.writeLong(version);
            out.writeString(type);
        }
    }

    /** One recommended item. {@code source} and {@code explanation} may be {@code null}. */
    public record Item(String index, String id, float score, Map<String, Object> source, Map<String, Object> explanation) implements Writeable {
        Item(StreamInput in) throws IOException {
            this(in.readString(), in.readString(), in.readFloat(), in.readBoolean() ? in.readMap() : null, in.readBoolean() ? in.readMap() : null);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(index);
            out.writeString(id);
            out.writeFloat(score);
            out.writeBoolean(source != null);
            if (source != null) {
                out.writeMap(source);
            }
            out.writeBoolean(explanation != null);
            if (explanation != null) {
                out.writeMap(explanation);
            }
        }

        void toXContent(XContentBuilder builder) throws IOException {
            builder.startObject();
            builder.field("_index", index);
            builder.field("_id", id);
            builder.field("_score", score);
            if (source != null) {
                builder.field("_source", source);
            }
            if (explanation != null) {
                builder.field("_explanation", explanation);
            }
            builder.endObject();
        }
    }

    /** One user's answer: the user's id when it was looked up, how it was represented, its items best first. */
    public record UserResult(String userId, Strategy strategy, List<Item> items) implements Writeable {
        UserResult(StreamInput in) throws IOException {
            this(in.readOptionalString(), in.readEnum(Strategy.class), in.readList(Item::new));
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeOptionalString(userId);
            out.writeEnum(strategy);
            out.writeList(items);
        }

        void fields(XContentBuilder builder) throws IOException {
            if (userId != null) {
                builder.field("user_id", userId);
            }
            builder.field("strategy", strategy.externalName());
            builder.startArray("items");
            for (Item item : items) {
                item.toXContent(builder);
            }
            builder.endArray();
        }
    }

    private final long tookMillis;
    private final ModelInfo model;
    private final boolean batch;
    private final List<UserResult> users;
    private final Map<String, Long> profileNanos;

    /**
     * @param profileNanos per-stage time in nanoseconds, in stage order, or {@code null} when not asked
     */
    public RecommendResponse(long tookMillis, ModelInfo model, boolean batch, List<UserResult> users, Map<String, Long> profileNanos) {
        this.tookMillis = tookMillis;
        this.model = model;
        this.batch = batch;
        this.users = users;
        this.profileNanos = profileNanos;
    }

    /** Reads the response from the wire. */
    public RecommendResponse(StreamInput in) throws IOException {
        super(in);
        tookMillis = in.readVLong();
        model = new ModelInfo(in);
        batch = in.readBoolean();
        users = in.readList(UserResult::new);
        profileNanos = in.readBoolean() ? in.readOrderedMap(StreamInput::readString, StreamInput::readLong) : null;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(tookMillis);
        model.writeTo(out);
        out.writeBoolean(batch);
        out.writeList(users);
        out.writeBoolean(profileNanos != null);
        if (profileNanos != null) {
            out.writeMap(profileNanos, StreamOutput::writeString, StreamOutput::writeLong);
        }
    }

    /** @return the users' results, in request order */
    public List<UserResult> users() {
        return users;
    }

    /** @return the model that scored */
    public ModelInfo model() {
        return model;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("took", tookMillis);
        builder.startObject("model");
        if (model.id() != null) {
            builder.field("id", model.id());
            builder.field("version", model.version());
        }
        builder.field("type", model.type());
        builder.endObject();
        if (batch) {
            builder.startArray("users");
            for (UserResult user : users) {
                builder.startObject();
                user.fields(builder);
                builder.endObject();
            }
            builder.endArray();
        } else {
            users.get(0).fields(builder);
        }
        if (profileNanos != null) {
            builder.startObject("profile");
            for (Map.Entry<String, Long> stage : profileNanos.entrySet()) {
                builder.field(stage.getKey() + "_in_nanos", stage.getValue());
            }
            builder.endObject();
        }
        return builder.endObject();
    }
}
