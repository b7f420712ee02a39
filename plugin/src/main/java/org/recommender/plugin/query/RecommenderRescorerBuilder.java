package org.recommender.plugin.query;

import org.apache.lucene.util.SetOnce;
import org.opensearch.action.support.PlainActionFuture;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.search.rescore.RescoreContext;
import org.opensearch.search.rescore.RescorerBuilder;
import org.recommender.core.model.ScoringModel;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.store.ModelCache;

import java.io.IOException;
import java.util.Arrays;

import java.util.Objects;

/**
 * {@code "rescore": {"window_size": 100, "recommender": {...}}}: re-ranks each shard's top window for a user, with
 * a stored model or a plain {@code dot}/{@code cosine} over an {@code embedding} field, in one batched call per
 * shard. The user and the model version are resolved once, on the coordinating node, while the request is
 * rewritten; each node compiles the pinned model version once and keeps it in its model cache.
 */
public final class RecommenderRescorerBuilder extends RescorerBuilder<RecommenderRescorerBuilder> {
    /** The name under {@code rescore}. */
    public static final String NAME = "recommender";

    private final RescorerServices services;
    private final UserSpec user;
    private final String field;
    private final String model;
    private final String source;
    private final float queryWeight;
    private final float modelWeight;
    private final ScoreMode scoreMode;
    // resolved during rewrite
    private final float[] userVector;
    private final long modelVersion;
    private final SetOnce<float[]> pendingUser;
    private final SetOnce<Long> pendingVersion;

    private RecommenderRescorerBuilder(
        RescorerServices services,
        UserSpec user,
        String field,
        String model,
        String source,
        float queryWeight,
        float modelWeight,
        ScoreMode scoreMode,
        float[] userVector,
        long modelVersion,
        SetOnce<float[]> pendingUser,
        SetOnce<Long> pendingVersion
    ) {
        this.services = services;
        this.user = user;
        this.field = field;
        this.model = model;
        this.source = source;
        this.queryWeight = queryWeight;
        this.modelWeight = modelWeight;
        this.scoreMode = scoreMode;
        this.userVector = userVector;
        this.modelVersion = modelVersion;
        this.pendingUser = pendingUser;
        this.pendingVersion = pendingVersion;
    }

    /**
     * A rescorer whose user vector and model version are already known (no lookup), scoring with the model alone
     * ({@code score_mode: replace}) — what the recommend endpoint sends to shards.
     */
    public static RecommenderRescorerBuilder modelOnly(RescorerServices services, String field, String model, long version, float[] user, int window) {
        RecommenderRescorerBuilder builder = new RecommenderRescorerBuilder(
            services, UserSpec.ofVector(user), field, model, "dot", 0f, 1f, ScoreMode.REPLACE, user, version, null, null
        );
        builder.windowSize(window);
        return builder;
    }

    /** Reads the builder from the wire (after the coordinating node resolved user and model version). */
    public RecommenderRescorerBuilder(StreamInput in, RescorerServices services) throws IOException {
        super(in);
        this.services = services;
        this.user = new UserSpec(in);
        this.field = in.readString();
        this.model = in.readOptionalString();
        this.source = in.readString();
        this.queryWeight = in.readFloat();
        this.modelWeight = in.readFloat();
        this.scoreMode = in.readEnum(ScoreMode.class);
        this.userVector = in.readFloatArray();
        this.modelVersion = in.readLong();
        this.pendingUser = null;
        this.pendingVersion = null;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (userVector == null || (model != null && modelVersion < 0)) {
            throw new IllegalStateException("recommender rescorer must be rewritten (user and model resolved) before it is sent");
        }
        user.writeTo(out);
        out.writeString(field);
        out.writeOptionalString(model);
        out.writeString(source);
        out.writeFloat(queryWeight);
        out.writeFloat(modelWeight);
        out.writeEnum(scoreMode);
        out.writeFloatArray(userVector);
        out.writeLong(modelVersion);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    /** Parses the object under {@code recommender}. */
    public static RecommenderRescorerBuilder parse(XContentParser parser, RescorerServices services) throws IOException {
        UserSpec user = null;
        String field = null;
        String model = null;
        String source = null;
        float queryWeight = 1f;
        float modelWeight = 1f;
        ScoreMode scoreMode = ScoreMode.TOTAL;
        String current = null;
        for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_OBJECT; token = parser.nextToken()) {
            if (token == XContentParser.Token.FIELD_NAME) {
                current = parser.currentName();
                continue;
            }
            switch (Objects.requireNonNull(current)) {
                case "user" -> user = UserSpec.parse(parser);
                case "field" -> field = StrictValues.text(parser, "field");
                case "model" -> model = StrictValues.text(parser, "model");
                case "source" -> source = StrictValues.text(parser, "source");
                case "query_weight" -> queryWeight = StrictValues.number(parser, "query_weight");
                case "model_weight" -> modelWeight = StrictValues.number(parser, "model_weight");
                case "score_mode" -> scoreMode = ScoreMode.fromName(StrictValues.text(parser, "score_mode"));
                default -> throw new IllegalArgumentException(
                    "unknown field [" + current + "] in [recommender] rescorer; expected [user, field, model, source, query_weight, model_weight, score_mode]"
                );
            }
        }
        if (user == null) {
            throw new IllegalArgumentException("[recommender] rescorer needs [user]");
        }
        if (field == null) {
            throw new IllegalArgumentException("[recommender] rescorer needs [field], the embedding field holding item vectors");
        }
        if (model != null && source != null) {
            throw new IllegalArgumentException("[recommender] rescorer takes either [model] or [source], not both");
        }
        if (source == null) {
            source = "dot";
        } else if (source.equals("dot") == false && source.equals("cosine") == false) {
            throw new IllegalArgumentException("[source] must be [dot] or [cosine] but was [" + source + "]");
        }
        if (Float.isFinite(queryWeight) == false || Float.isFinite(modelWeight) == false) {
            throw new IllegalArgumentException("[query_weight] and [model_weight] must be finite");
        }
        return new RecommenderRescorerBuilder(
            services, user, field, model, source, queryWeight, modelWeight, scoreMode, user.vector(), -1, null, null
        );
    }

    private RecommenderRescorerBuilder with(float[] vector, long version, SetOnce<float[]> pu, SetOnce<Long> pv) {
        RecommenderRescorerBuilder copy = new RecommenderRescorerBuilder(
            services, user, field, model, source, queryWeight, modelWeight, scoreMode, vector, version, pu, pv
        );
        if (windowSize != null) {
            copy.windowSize(windowSize);
        }
        return copy;
    }

    @Override
    public RescorerBuilder<RecommenderRescorerBuilder> rewrite(QueryRewriteContext ctx) {
        if (ctx.convertToShardContext() != null) {
            return this; // shard level: everything was resolved on the coordinating node
        }
        if (windowSize() != null && windowSize() < 1) {
            // core would take a negative window to the shards and fail there with 500
            throw new IllegalArgumentException("[rescore.window_size] must be at least 1 but was " + windowSize());
        }
        if (userVector == null) {
            if (pendingUser == null) {
                return with(null, modelVersion, user.resolveDuringRewrite(ctx), pendingVersion);
            }
            return pendingUser.get() == null ? this : with(pendingUser.get(), modelVersion, null, pendingVersion);
        }
        if (model != null && modelVersion < 0) {
            if (pendingVersion == null) {
                SetOnce<Long> resolved = new SetOnce<>();
                ctx.registerAsyncAction((client, listener) -> services.store().version(model, ActionListener.map(listener, v -> {
                    resolved.set(v);
                    return null;
                })));
                return with(userVector, -1, null, resolved);
            }
            return pendingVersion.get() == null ? this : with(userVector, pendingVersion.get(), null, null);
        }
        return this;
    }

    @Override
    protected RescoreContext innerBuildContext(int windowSize, QueryShardContext context) {
        EmbeddingFieldType embedding = EmbeddingFields.require(context, field, "[field]");
        if (userVector.length != embedding.dims() && model == null) {
            throw new IllegalArgumentException(
                "[user] vector has " + userVector.length + " dimensions but field [" + field + "] has " + embedding.dims()
            );
        }
        ScoringModel scorer;
        String modelLabel;
        if (model != null) {
            ModelCache.Entry entry = services.store().cachedAt(model, modelVersion);
            if (entry == null) {
                // first use of this version on this node: load it now (shard-level rewrites cannot run async actions)
                PlainActionFuture<ModelCache.Entry> loaded = PlainActionFuture.newFuture();
                services.store().compiledAt(model, modelVersion, loaded);
                entry = loaded.actionGet(TimeValue.timeValueSeconds(30));
            }
            ScoringModel compiled = entry.model();
            if (compiled.userDims() != userVector.length) {
                throw new IllegalArgumentException(
                    "[user] vector has " + userVector.length + " dimensions but model [" + model + "] expects " + compiled.userDims()
                );
            }
            if (compiled.itemDims() != embedding.dims()) {
                throw new IllegalArgumentException(
                    "model [" + model + "] expects item vectors of " + compiled.itemDims() + " dimensions but field [" + field + "] has " + embedding.dims()
                );
            }
            scorer = compiled;
            modelLabel = "model [" + model + "] v" + modelVersion + " (" + compiled.type() + ")";
        } else {
            scorer = services.similarity(source, embedding.dims());
            modelLabel = source + "(user, " + field + ")";
        }
        RecommenderRescorer rescorer = new RecommenderRescorer(services.stats());
        return new RecommenderRescorer.Context(windowSize, rescorer, embedding, userVector, scorer, modelLabel, queryWeight, modelWeight, scoreMode);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("user");
        user.toXContent(builder, params);
        builder.field("field", field);
        if (model != null) {
            builder.field("model", model);
        } else {
            builder.field("source", source);
        }
        builder.field("query_weight", queryWeight);
        builder.field("model_weight", modelWeight);
        builder.field("score_mode", scoreMode.externalName());
        builder.endObject();
    }

    @Override
    public boolean equals(Object obj) {
        if (super.equals(obj) == false) {
            return false;
        }
        RecommenderRescorerBuilder other = (RecommenderRescorerBuilder) obj;
        return Objects.equals(user, other.user)
            && Objects.equals(field, other.field)
            && Objects.equals(model, other.model)
            && Objects.equals(source, other.source)
            && queryWeight == other.queryWeight
            && modelWeight == other.modelWeight
            && scoreMode == other.scoreMode
            && Arrays.equals(userVector, other.userVector)
            && modelVersion == other.modelVersion
            && pendingUser == other.pendingUser
            && pendingVersion == other.pendingVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), user, field, model, source, queryWeight, modelWeight, scoreMode, Arrays.hashCode(userVector), modelVersion);
    }

}
