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
import org.recommender.core.vector.BestScore;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.compute.ScoringBudget;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.EmbeddingFields;
import org.recommender.plugin.store.ModelCache;
import org.recommender.plugin.store.ModelIds;
import org.recommender.plugin.store.ModelPin;

import java.io.IOException;
import java.util.Arrays;

import java.util.Objects;

/**
 * {@code "rescore": {"window_size": 100, "recommender": {...}}}: re-ranks each shard's top window for a user, with
 * a stored model or a plain {@code dot}/{@code cosine} over an {@code embedding} field, in one batched call per
 * shard. The user and the model's pin are resolved once, on the coordinating node, while the request is
 * rewritten; each node with shards loads the pinned model while it rewrites its shard requests (never on a search
 * thread) and keeps it in its model cache. A {@code best_score} example user scores each window item against every
 * example ({@link BestScore}) instead of against one vector.
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
    // resolved during rewrite: user and pin on the coordinating node, the compiled model on each node with shards
    private final float[] userVector;
    /** a best-score example user's examples, once resolved (then {@link #userVector} is {@code null}) */
    private final BestScore examples;
    /** the user encoder that made {@link #userVector} of a history, as explanations name it, or {@code null} */
    private final String encodedBy;
    private final ModelPin pin;
    private final SetOnce<UserSpec.Resolved> pendingUser;
    private final SetOnce<ModelPin> pendingPin;
    private final SetOnce<ModelCache.Entry> loading;

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
        BestScore examples,
        String encodedBy,
        ModelPin pin,
        SetOnce<UserSpec.Resolved> pendingUser,
        SetOnce<ModelPin> pendingPin,
        SetOnce<ModelCache.Entry> loading
    ) {
        this.examples = examples;
        this.encodedBy = encodedBy;
        this.services = services;
        this.user = user;
        this.field = field;
        this.model = model;
        this.source = source;
        this.queryWeight = queryWeight;
        this.modelWeight = modelWeight;
        this.scoreMode = scoreMode;
        this.userVector = userVector;
        this.pin = pin;
        this.pendingUser = pendingUser;
        this.pendingPin = pendingPin;
        this.loading = loading;
    }

    /**
     * A rescorer whose user vector and model are already known (no lookup, the model pinned), scoring with the model
     * alone ({@code score_mode: replace}) — what the recommend endpoint sends to shards.
     */
    public static RecommenderRescorerBuilder modelOnly(RescorerServices services, String field, ModelPin pin, float[] user, int window) {
        RecommenderRescorerBuilder builder = new RecommenderRescorerBuilder(
            services, UserSpec.ofVector(user), field, pin.id(), "dot", 0f, 1f, ScoreMode.REPLACE, user, null, null, pin, null, null, null
        );
        builder.windowSize(window);
        return builder;
    }

    /**
     * As {@link #modelOnly} for a best-score example user already resolved: the model scores each window item
     * against every example.
     *
     * @param spec the example spec the examples were read for (for display)
     */
    public static RecommenderRescorerBuilder modelOnly(RescorerServices services, String field, ModelPin pin, UserSpec spec, BestScore examples, int window) {
        RecommenderRescorerBuilder builder = new RecommenderRescorerBuilder(
            services, spec, field, pin.id(), "dot", 0f, 1f, ScoreMode.REPLACE, null, examples, null, pin, null, null, null
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
        UserSpec.Resolved resolved = UserSpec.Resolved.readFrom(in);
        this.userVector = resolved.vector();
        this.examples = resolved.examples();
        this.encodedBy = resolved.encodedBy();
        this.pin = in.readOptionalWriteable(ModelPin::new);
        this.pendingUser = null;
        this.pendingPin = null;
        this.loading = null;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if ((userVector == null && examples == null) || (model != null && pin == null)) {
            throw new IllegalStateException("recommender rescorer must be rewritten (user and model resolved) before it is sent");
        }
        user.writeTo(out);
        out.writeString(field);
        out.writeOptionalString(model);
        out.writeString(source);
        out.writeFloat(queryWeight);
        out.writeFloat(modelWeight);
        out.writeEnum(scoreMode);
        new UserSpec.Resolved(userVector, examples, encodedBy).writeTo(out);
        out.writeOptionalWriteable(pin);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    /** Parses the object under {@code recommender}. */
    public static RecommenderRescorerBuilder parse(XContentParser parser, RescorerServices services) throws IOException {
        Fields f = FIELDS.parse(parser);
        if (f.user == null) {
            throw new IllegalArgumentException("[recommender] rescorer needs [user]");
        }
        if (f.field == null) {
            throw new IllegalArgumentException("[recommender] rescorer needs [field], the embedding field holding item vectors");
        }
        if (f.model != null && f.source != null) {
            throw new IllegalArgumentException("[recommender] rescorer takes either [model] or [source], not both");
        }
        String source = f.source == null ? "dot" : f.source;
        if (source.equals("dot") == false && source.equals("cosine") == false) {
            throw new IllegalArgumentException("[source] must be [dot] or [cosine] but was [" + source + "]");
        }
        return new RecommenderRescorerBuilder(
            services, f.user, f.field, f.model, source, f.queryWeight, f.modelWeight, f.scoreMode, f.user.vector(), null, null, null, null, null, null
        );
    }

    /** The rescorer's fields while they are read (weights are finite by {@link StrictValues#number}). */
    private static final class Fields {
        UserSpec user;
        String field;
        String model;
        String source;
        float queryWeight = 1f;
        float modelWeight = 1f;
        ScoreMode scoreMode = ScoreMode.TOTAL;
    }

    private static final StrictObjectParser<Fields> FIELDS = StrictObjectParser.root(NAME, Fields::new)
        .value("user", UserSpec::parse, (f, v) -> f.user = v)
        .text("field", (f, v) -> f.field = v)
        .text("model", (f, v) -> f.model = ModelIds.reference("[model]", v))
        .text("source", (f, v) -> f.source = v)
        .number("query_weight", (f, v) -> f.queryWeight = v)
        .number("model_weight", (f, v) -> f.modelWeight = v)
        .text("score_mode", (f, v) -> f.scoreMode = ScoreMode.fromName(v));

    private RecommenderRescorerBuilder with(
        UserSpec.Resolved resolved,
        ModelPin pinned,
        SetOnce<UserSpec.Resolved> pu,
        SetOnce<ModelPin> pp,
        SetOnce<ModelCache.Entry> load
    ) {
        RecommenderRescorerBuilder copy = new RecommenderRescorerBuilder(
            services, user, field, model, source, queryWeight, modelWeight, scoreMode,
            resolved == null ? null : resolved.vector(), resolved == null ? null : resolved.examples(),
            resolved == null ? null : resolved.encodedBy(), pinned, pu, pp, load
        );
        if (windowSize != null) {
            copy.windowSize(windowSize);
        }
        return copy;
    }

    /**
     * Resolves what the shards need without blocking a thread: on the coordinating node the user (a lookup) and the
     * model's pin ({@link org.recommender.plugin.store.ModelStoreService#pin}); then, on every node that rewrites the
     * shard requests it holds, the pinned model is loaded into that node's cache unless it is there already, so
     * building the rescore context on a search thread finds it compiled.
     */
    @Override
    public RescorerBuilder<RecommenderRescorerBuilder> rewrite(QueryRewriteContext ctx) {
        if (ctx.convertToShardContext() != null) {
            return this; // shard level: everything was resolved on the coordinating node
        }
        if (windowSize() != null && windowSize() < 1) {
            // core would take a negative window to the shards and fail there with 500
            throw new IllegalArgumentException("[rescore.window_size] must be at least 1 but was " + windowSize());
        }
        if (userVector == null && examples == null) {
            if (pendingUser == null) {
                return with(null, pin, user.resolveDuringRewrite(ctx, services.userServices(), "[" + NAME + "] rescorer"), pendingPin, null);
            }
            return pendingUser.get() == null ? this : with(pendingUser.get(), pin, null, pendingPin, null);
        }
        UserSpec.Resolved resolvedUser = new UserSpec.Resolved(userVector, examples, encodedBy);
        int dims = userVector != null ? userVector.length : examples.dims();
        if (model == null && dims > 0) {
            // a similarity's window is bounded here too, so that it is refused before any shard is asked (a vector of
            // no dimensions is the shards' 400)
            services.budget().checkWindow("[rescore.window_size]", scorerName(), sourceSimilarity().work(dims), window(), exampleCount());
        }
        if (model != null && pin == null) {
            if (pendingPin == null) {
                SetOnce<ModelPin> resolved = new SetOnce<>();
                ctx.registerAsyncAction((client, listener) -> services.store().pinScoring(model, "[model]", ActionListener.map(listener, entry -> {
                    if (examples != null) {
                        // refused here, on the coordinating node, before any shard is asked
                        BestScoreUsers.checkModel(entry.model(), "[model]", model, examples.dims());
                    } else if (user.encoder() != null && entry.model().userDims() != userVector.length) {
                        // said here, where both are known, so the message can name the encoder (shards see a vector)
                        throw new IllegalArgumentException(
                            "[user.encoder] [" + user.encoder() + "] makes user vectors of " + userVector.length + " dimensions but model ["
                                + model + "] expects " + entry.model().userDims()
                        );
                    }
                    // a window is scored in one call nothing interrupts: its arithmetic is bounded here, before any shard is asked
                    services.budget().checkWindow("[rescore.window_size]", scorerName(), entry.model(), window(), exampleCount());
                    resolved.set(entry.pin(model));
                    return null;
                })));
                return with(resolvedUser, null, null, resolved, null);
            }
            return pendingPin.get() == null ? this : with(resolvedUser, pendingPin.get(), null, null, null);
        }
        if (pin != null && loading == null) {
            // the builder holds the compiled model from here to its shards' rescore contexts, so an eviction meanwhile
            // (a cache smaller than the models in use) cannot send a search thread to load it again
            SetOnce<ModelCache.Entry> held = new SetOnce<>();
            ModelCache.Entry cached = services.store().cachedAt(pin);
            if (cached != null) {
                held.set(cached);
            } else {
                ctx.registerAsyncAction((client, listener) -> services.store().compiledAt(pin, ActionListener.map(listener, entry -> {
                    held.set(entry);
                    return null;
                })));
            }
            return with(resolvedUser, pin, null, null, held);
        }
        return this;
    }

    @Override
    protected RescoreContext innerBuildContext(int windowSize, QueryShardContext context) {
        EmbeddingFieldType embedding = EmbeddingFields.require(context.getMapperService(), field, "[field]");
        if (examples != null) {
            BestScoreUsers.checkDims(examples, embedding.dims(), field);
        } else if (userVector.length != embedding.dims() && model == null) {
            throw new IllegalArgumentException(
                "[user] vector has " + userVector.length + " dimensions but field [" + field + "] has " + embedding.dims() + madeBy(user)
            );
        }
        ScoringModel scorer;
        String modelLabel;
        if (model != null) {
            ModelCache.Entry entry = loading != null && loading.get() != null ? loading.get() : services.store().cachedAt(pin);
            if (entry == null) {
                // only where no rewrite on this node held it (a query phase without the node's rewrite): load it here
                PlainActionFuture<ModelCache.Entry> loaded = PlainActionFuture.newFuture();
                services.store().compiledAt(pin, loaded);
                entry = loaded.actionGet(TimeValue.timeValueSeconds(30));
            }
            ScoringModel compiled = entry.model();
            if (examples != null) {
                BestScoreUsers.checkModel(compiled, "[model]", model, examples.dims());
            } else if (compiled.userDims() != userVector.length) {
                throw new IllegalArgumentException(
                    "[user] vector has " + userVector.length + " dimensions but model [" + model + "] expects " + compiled.userDims() + madeBy(user)
                );
            }
            if (compiled.itemDims() != embedding.dims()) {
                throw new IllegalArgumentException(
                    "model [" + model + "] expects item vectors of " + compiled.itemDims() + " dimensions but field [" + field + "] has " + embedding.dims()
                );
            }
            scorer = compiled;
            modelLabel = "model [" + model + "] v" + pin.version() + " (" + compiled.type() + ")";
        } else {
            if (userVector != null) {
                sourceSimilarity().requireComparable("user vector", userVector); // cosine would score every item 0
            }
            scorer = services.similarity(source, embedding.dims());
            modelLabel = source + "(user, " + field + ")";
        }
        // again where the window is scored, against this node's own limit (the coordinating node checked this window
        // alone), together with the search's other recommender windows, which the same search thread scores in turn
        services.budget().chargeWindow(context, "[rescore.window_size]", scorerName(), scorer, windowSize, exampleCount());
        RecommenderRescorer rescorer = new RecommenderRescorer(services.stats());
        BestScore.Scorer exampleScorer = null;
        if (examples != null) {
            if (model != null) {
                exampleScorer = BestScoreUsers.modelScorer(examples, scorer);
            } else {
                exampleScorer = examples.scorer(sourceSimilarity());
            }
            modelLabel = BestScoreUsers.describe(examples, modelLabel);
        }
        if (encodedBy != null) {
            modelLabel = UserServices.describe(encodedBy, modelLabel);
        }
        return new RecommenderRescorer.Context(
            windowSize, rescorer, embedding, userVector, exampleScorer, scorer, modelLabel, queryWeight, modelWeight, scoreMode,
            RequestBreaker.of(context), services.budget(), context, ScoringBudget.product(scorer.itemWork(), Math.max(1, exampleCount())),
            ScoringBudget.describe(scorerName(), scorer.itemWork()) + ScoringBudget.against(exampleCount())
        );
    }

    /** @return how {@code source} compares a user with an item: {@code cosine}, else the dot product */
    private VectorSimilarity sourceSimilarity() {
        return source.equals("cosine") ? VectorSimilarity.COSINE : VectorSimilarity.DOT_PRODUCT;
    }

    /** @return the window the request asked for, OpenSearch's default where it named none */
    private int window() {
        return windowSize() == null ? DEFAULT_WINDOW_SIZE : windowSize();
    }

    /** @return how a refusal names what scores the window: the model, or the similarity of {@code source} */
    private String scorerName() {
        return model != null ? "model [" + model + "]" : "[source] [" + source + "]";
    }

    /** @return the examples of a best-score user, 0 for a user vector */
    private int exampleCount() {
        return examples == null ? 0 : examples.count();
    }

    /** @return what a dimension error adds for a user an encoder made: the encoder's id */
    static String madeBy(UserSpec user) {
        return user.encoder() == null ? "" : " (the vector [user.encoder] [" + user.encoder() + "] made of [user.history])";
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
            && examples == other.examples
            && Objects.equals(encodedBy, other.encodedBy)
            && Objects.equals(pin, other.pin)
            && pendingUser == other.pendingUser
            && pendingPin == other.pendingPin
            && loading == other.loading;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), user, field, model, source, queryWeight, modelWeight, scoreMode, Arrays.hashCode(userVector), pin);
    }

}
