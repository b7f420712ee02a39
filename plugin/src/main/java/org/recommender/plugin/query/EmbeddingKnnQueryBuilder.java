package org.recommender.plugin.query;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.SetOnce;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilderVisitor;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.recommender.core.vector.BestScore;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.EmbeddingFields;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code embedding_knn}: the {@code k} items nearest to a user, per shard, over an {@code embedding} field —
 * approximate (HNSW, exploring {@code num_candidates} per segment) or exact — optionally restricted by a
 * {@code filter} query applied during the search (not after it). Scores use the field's similarity with the same
 * non-negative transform as {@code script_score}, so exact and approximate scores agree. A {@code best_score} example
 * user has no one vector: its items are scored against every example ({@link BestScoreQuery}).
 */
public final class EmbeddingKnnQueryBuilder extends AbstractQueryBuilder<EmbeddingKnnQueryBuilder> {
    /** The query name. */
    public static final String NAME = "embedding_knn";
    /** Most candidates one shard may be asked to explore. */
    public static final int MAX_CANDIDATES = 10_000;

    private final String field;
    private final UserSpec user;
    private final int k;
    private final int numCandidates;
    private final QueryBuilder filter;
    private final boolean exact;
    private final float[] userVector;
    /** a best-score example user's examples, once resolved (then {@link #userVector} is {@code null}) */
    private final BestScore examples;
    /** the user encoder that made {@link #userVector} of a history, as explanations name it, or {@code null} */
    private final String encodedBy;
    /** {@code _recommend}'s candidate query for a best-score user, or {@code null}: never parsed from a request */
    private final QueryBuilder candidates;
    private final SetOnce<UserSpec.Resolved> pendingUser;
    /** the node's user encoders, for a user spec with {@code encoder}; {@code null} where none can run */
    private final UserServices userServices;

    private EmbeddingKnnQueryBuilder(
        UserServices userServices,
        String field,
        UserSpec user,
        int k,
        int numCandidates,
        QueryBuilder filter,
        boolean exact,
        float[] userVector,
        BestScore examples,
        String encodedBy,
        QueryBuilder candidates,
        SetOnce<UserSpec.Resolved> pendingUser
    ) {
        this.examples = examples;
        this.encodedBy = encodedBy;
        this.candidates = candidates;
        this.userServices = userServices;
        this.field = field;
        this.user = user;
        this.k = k;
        this.numCandidates = numCandidates;
        this.filter = filter;
        this.exact = exact;
        this.userVector = userVector;
        this.pendingUser = pendingUser;
    }

    /**
     * A query for a vector already known (no lookup), as the recommend endpoint builds per user.
     *
     * @param filter applied during the search, or {@code null}
     */
    public static EmbeddingKnnQueryBuilder forVector(String field, float[] vector, int k, int numCandidates, QueryBuilder filter, boolean exact) {
        return new EmbeddingKnnQueryBuilder(null, field, UserSpec.ofVector(vector), k, numCandidates, filter, exact, vector, null, null, null, null);
    }

    /**
     * A query for a best-score example user already resolved, as the recommend endpoint builds per user: each shard
     * keeps its {@code k} best items by {@link BestScore} over the field's similarity.
     *
     * @param user the example spec the examples were read for (for display)
     * @param filter applied during the search, or {@code null}
     * @param candidates a query whose best {@code numCandidates} matches (per shard) are the candidates, or
     *     {@code null} for knn candidates ({@code numCandidates} nearest to each positive example)
     * @param userServices the node's user services (the scan's budget, where a shard of this node runs the query
     *     without reading it from the wire)
     */
    public static EmbeddingKnnQueryBuilder forExamples(
        String field,
        UserSpec user,
        BestScore examples,
        int k,
        int numCandidates,
        QueryBuilder filter,
        boolean exact,
        QueryBuilder candidates,
        UserServices userServices
    ) {
        return new EmbeddingKnnQueryBuilder(userServices, field, user, k, numCandidates, filter, exact, null, examples, null, candidates, null);
    }

    /** Reads the query from the wire (the user was resolved on the coordinating node). */
    public EmbeddingKnnQueryBuilder(StreamInput in) throws IOException {
        this(in, null);
    }

    /**
     * Reads the query from the wire (the user was resolved on the coordinating node).
     *
     * @param userServices the node's user services (encoders, lookup memory, the per-search user budget)
     */
    public EmbeddingKnnQueryBuilder(StreamInput in, UserServices userServices) throws IOException {
        super(in);
        this.userServices = userServices;
        this.field = in.readString();
        this.user = new UserSpec(in);
        this.k = in.readVInt();
        this.numCandidates = in.readVInt();
        this.filter = in.readOptionalNamedWriteable(QueryBuilder.class);
        this.exact = in.readBoolean();
        UserSpec.Resolved resolved = UserSpec.Resolved.readFrom(in);
        this.userVector = resolved.vector();
        this.examples = resolved.examples();
        this.encodedBy = resolved.encodedBy();
        this.candidates = in.readOptionalNamedWriteable(QueryBuilder.class);
        this.pendingUser = null;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (userVector == null && examples == null) {
            throw new IllegalStateException("[embedding_knn] must be rewritten (user resolved) before it is sent");
        }
        out.writeString(field);
        user.writeTo(out);
        out.writeVInt(k);
        out.writeVInt(numCandidates);
        out.writeOptionalNamedWriteable(filter);
        out.writeBoolean(exact);
        new UserSpec.Resolved(userVector, examples, encodedBy).writeTo(out);
        out.writeOptionalNamedWriteable(candidates);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    /** Parses {@code {"embedding_knn": {...}}}'s inner object, where no user encoder can run. */
    public static EmbeddingKnnQueryBuilder fromXContent(XContentParser parser) throws IOException {
        return fromXContent(parser, null);
    }

    /**
     * Parses {@code {"embedding_knn": {...}}}'s inner object.
     *
     * @param encoders the node's user encoders, for a user spec with {@code encoder}
     */
    public static EmbeddingKnnQueryBuilder fromXContent(XContentParser parser, UserServices userServices) throws IOException {
        Fields f = FIELDS.parse(parser);
        if (f.field == null) {
            throw new IllegalArgumentException("[embedding_knn] needs [field]");
        }
        if (f.user == null) {
            throw new IllegalArgumentException("[embedding_knn] needs [user]");
        }
        int kValue = f.k == null ? 10 : f.k;
        // the same words as _recommend's for the same conditions
        if (kValue < 1) {
            throw new IllegalArgumentException("[k] must be at least 1 but was " + kValue);
        }
        if (kValue > MAX_CANDIDATES) {
            throw new IllegalArgumentException("[k] must be at most " + MAX_CANDIDATES + " but was " + kValue);
        }
        int candidates = f.numCandidates == null ? Math.max(100, kValue) : f.numCandidates;
        if (candidates < kValue || candidates > MAX_CANDIDATES) {
            throw new IllegalArgumentException("[num_candidates] must be between [k] (" + kValue + ") and " + MAX_CANDIDATES + " but was " + candidates);
        }
        EmbeddingKnnQueryBuilder builder = new EmbeddingKnnQueryBuilder(
            userServices, f.field, f.user, kValue, candidates, f.filter, f.exact, f.user.vector(), null, null, null, null
        );
        return builder.boost(f.boost).queryName(f.queryName);
    }

    /** The query's fields while they are read. */
    private static final class Fields {
        String field;
        UserSpec user;
        Integer k;
        Integer numCandidates;
        QueryBuilder filter;
        boolean exact;
        float boost = DEFAULT_BOOST;
        String queryName;
    }

    private static final StrictObjectParser<Fields> FIELDS = StrictObjectParser.root(NAME, Fields::new)
        .text("field", (f, v) -> f.field = v)
        .value("user", UserSpec::parse, (f, v) -> f.user = v)
        .integer("k", (f, v) -> f.k = v)
        .integer("num_candidates", (f, v) -> f.numCandidates = v)
        .query("filter", (f, v) -> f.filter = v)
        .bool("exact", (f, v) -> f.exact = v)
        .number("boost", (f, v) -> f.boost = v)
        .text("_name", (f, v) -> f.queryName = v);

    private EmbeddingKnnQueryBuilder with(QueryBuilder newFilter, QueryBuilder newCandidates, UserSpec.Resolved resolved, SetOnce<UserSpec.Resolved> pending) {
        return new EmbeddingKnnQueryBuilder(
            userServices, field, user, k, numCandidates, newFilter, exact,
            resolved == null ? null : resolved.vector(), resolved == null ? null : resolved.examples(),
            resolved == null ? null : resolved.encodedBy(), newCandidates, pending
        ).boost(boost).queryName(queryName);
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext ctx) throws IOException {
        QueryBuilder rewrittenFilter = filter == null ? null : filter.rewrite(ctx);
        QueryBuilder rewrittenCandidates = candidates == null ? null : candidates.rewrite(ctx);
        boolean same = rewrittenFilter == filter && rewrittenCandidates == candidates;
        if (userVector == null && examples == null) {
            if (pendingUser == null) {
                return with(rewrittenFilter, rewrittenCandidates, null, user.resolveDuringRewrite(ctx, userServices, "[" + NAME + "]"));
            }
            if (pendingUser.get() == null) {
                return same ? this : with(rewrittenFilter, rewrittenCandidates, null, pendingUser);
            }
            return with(rewrittenFilter, rewrittenCandidates, pendingUser.get(), null);
        }
        return same ? this : with(rewrittenFilter, rewrittenCandidates, new UserSpec.Resolved(userVector, examples, encodedBy), null);
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
        EmbeddingFieldType embedding = EmbeddingFields.require(context.getMapperService(), field, "[embedding_knn]");
        if (examples != null) {
            BestScoreUsers.checkDims(examples, embedding.dims(), field);
            return new BestScoreQuery(
                embedding,
                examples,
                embedding.similarity(),
                filter == null ? null : filter.toQuery(context),
                candidates == null ? null : candidates.toQuery(context),
                k,
                numCandidates,
                exact,
                RequestBreaker.of(context),
                userServices == null ? null : userServices.budget(), // null: a builder made without the node's services
                context
            );
        }
        if (userVector.length != embedding.dims()) {
            throw new IllegalArgumentException(
                "[user] vector has " + userVector.length + " dimensions but field [" + field + "] has " + embedding.dims()
                    + RecommenderRescorerBuilder.madeBy(user)
            );
        }
        embedding.similarity().requireComparable("user vector", userVector);
        Query filterQuery = filter == null ? null : filter.toQuery(context);
        Query nearest = exact || embedding.approximate() == false
            ? new ExactKnnQuery(embedding, userVector, embedding.similarity(), filterQuery, k, RequestBreaker.of(context))
            : new TopKKnnQuery(embedding.name(), userVector, numCandidates, filterQuery, k); // an alias names the field it points to
        return encodedBy == null ? nearest : new EncodedUserQuery(nearest, encodedBy);
    }

    /**
     * Visits this query and the queries inside it — the filter (applied as a filter) and a best-score user's candidate
     * query (which must match) — so a walk of a search's queries (a {@code script_score} there with
     * {@code params.user} for {@code ScriptSearches}, say) sees them, as it sees a {@code bool}'s clauses.
     */
    @Override
    public void visit(QueryBuilderVisitor visitor) {
        visitor.accept(this);
        if (filter != null) {
            filter.visit(visitor.getChildVisitor(BooleanClause.Occur.FILTER));
        }
        if (candidates != null) {
            candidates.visit(visitor.getChildVisitor(BooleanClause.Occur.MUST));
        }
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("field", field);
        builder.field("user");
        user.toXContent(builder, params);
        builder.field("k", k);
        builder.field("num_candidates", numCandidates);
        if (filter != null) {
            builder.field("filter", filter);
        }
        builder.field("exact", exact);
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    @Override
    protected boolean doEquals(EmbeddingKnnQueryBuilder other) {
        return field.equals(other.field)
            && user.equals(other.user)
            && k == other.k
            && numCandidates == other.numCandidates
            && Objects.equals(filter, other.filter)
            && exact == other.exact
            && Arrays.equals(userVector, other.userVector)
            && examples == other.examples
            && Objects.equals(encodedBy, other.encodedBy)
            && Objects.equals(candidates, other.candidates)
            && pendingUser == other.pendingUser;
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(field, user, k, numCandidates, filter, exact, Arrays.hashCode(userVector), System.identityHashCode(examples), candidates);
    }
}
