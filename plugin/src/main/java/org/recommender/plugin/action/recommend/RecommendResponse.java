package org.recommender.plugin.action.recommend;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.recommender.plugin.recommend.RankedItem;
import org.recommender.plugin.recommend.Recommendations;
import org.recommender.plugin.recommend.UserRanking;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What {@code _recommend} answers: for each user the ranked items, how the user was represented ({@code strategy}),
 * the model id and version that scored them, {@code took}, and per-stage timings when asked. A request with
 * {@code user} gets the user's fields at the top level; one with {@code users} gets a {@code users} array.
 */
public final class RecommendResponse extends ActionResponse implements ToXContentObject {
    private final Recommendations result;

    /** @param result what the run produced */
    public RecommendResponse(Recommendations result) {
        this.result = result;
    }

    /** Reads the response from the wire. */
    public RecommendResponse(StreamInput in) throws IOException {
        super(in);
        long tookMillis = in.readVLong();
        Recommendations.ScoredBy model = new Recommendations.ScoredBy(in.readOptionalString(), in.readLong(), in.readString());
        boolean batch = in.readBoolean();
        List<UserRanking> users = in.readList(UserRanking::new);
        Map<String, Long> profileNanos = in.readBoolean() ? in.readOrderedMap(StreamInput::readString, StreamInput::readLong) : null;
        result = new Recommendations(tookMillis, model, batch, users, profileNanos);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(result.tookMillis());
        out.writeOptionalString(result.model().id());
        out.writeLong(result.model().version());
        out.writeString(result.model().type());
        out.writeBoolean(result.batch());
        out.writeList(result.users());
        out.writeBoolean(result.profileNanos() != null);
        if (result.profileNanos() != null) {
            out.writeMap(result.profileNanos(), StreamOutput::writeString, StreamOutput::writeLong);
        }
    }

    /** @return what the run produced */
    public Recommendations result() {
        return result;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("took", result.tookMillis());
        builder.startObject("model");
        if (result.model().id() != null) {
            builder.field("id", result.model().id());
            builder.field("version", result.model().version());
        }
        builder.field("type", result.model().type());
        builder.endObject();
        if (result.batch()) {
            builder.startArray("users");
            for (UserRanking user : result.users()) {
                builder.startObject();
                userFields(user, builder);
                builder.endObject();
            }
            builder.endArray();
        } else {
            userFields(result.users().get(0), builder);
        }
        if (result.profileNanos() != null) {
            builder.startObject("profile");
            for (Map.Entry<String, Long> stage : result.profileNanos().entrySet()) {
                builder.field(stage.getKey() + "_in_nanos", stage.getValue());
            }
            builder.endObject();
        }
        return builder.endObject();
    }

    private static void userFields(UserRanking user, XContentBuilder builder) throws IOException {
        if (user.userId() != null) {
            builder.field("user_id", user.userId());
        }
        builder.field("strategy", user.strategy().externalName());
        builder.startArray("items");
        for (RankedItem item : user.items()) {
            builder.startObject();
            builder.field("_index", item.index());
            builder.field("_id", item.id());
            builder.field("_score", item.score());
            if (item.source() != null) {
                builder.field("_source", item.source());
            }
            if (item.explanation() != null) {
                builder.field("_explanation", item.explanation());
            }
            builder.endObject();
        }
        builder.endArray();
    }
}
