package org.recommender.plugin.action.recommend;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.IndicesRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;
import org.recommender.plugin.recommend.RecommendQuery;
import org.recommender.plugin.query.StrictObjectParser;
import org.recommender.plugin.query.StrictValues;
import org.recommender.plugin.query.UserSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /{index}/_recommend}, parsed and validated: who ({@code user} or {@code users}), which
 * items ({@code field}, {@code candidates}, {@code filter}, {@code exclude}), how to score ({@code model}), how to
 * diversify ({@code diversity.mmr}), what to do for users without a vector ({@code cold_start}), and what to return
 * ({@code k}, {@code _source}, {@code explain}, {@code profile}). The body is read here — a value of the wrong type or
 * an unknown field is refused with a message naming it — into a {@link RecommendQuery}, which checks the values
 * together; limits that are node settings are checked when the run is planned.
 */
public final class RecommendRequest extends ActionRequest implements IndicesRequest.Replaceable {
    private String[] indices;
    private IndicesOptions indicesOptions = IndicesOptions.strictExpandOpenAndForbidClosed();
    private RecommendQuery query;

    /** An empty request for {@code indices}; fill it with {@link #parse} or {@link #query(RecommendQuery)}. */
    public RecommendRequest(String... indices) {
        this.indices = indices;
    }

    /** Reads the request from the wire. */
    public RecommendRequest(StreamInput in) throws IOException {
        super(in);
        indices = in.readStringArray();
        indicesOptions = IndicesOptions.readIndicesOptions(in);
        query = RecommendQuery.readFrom(in);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeStringArray(indices);
        indicesOptions.writeIndicesOptions(out);
        query.writeTo(out);
    }

    /**
     * Reads the JSON body; the parser is before its first token.
     *
     * @throws IllegalArgumentException naming the offending field
     */
    public RecommendRequest parse(XContentParser parser) throws IOException {
        Body body = BODY.parseBody(parser);
        if (body.user != null && body.users != null) {
            throw new IllegalArgumentException("give either [user] or [users], not both");
        }
        query = new RecommendQuery(
            body.field,
            body.users != null ? body.users : body.user != null ? List.of(body.user) : List.of(),
            body.users != null,
            body.k,
            body.numCandidates,
            body.exact,
            body.candidateQuery,
            body.filter,
            body.excludeIds,
            body.seenField,
            body.model,
            body.mmrLambda,
            body.mmrPool,
            body.historyField,
            body.fallbackField,
            body.explain,
            body.profile,
            body.fetchSource,
            body.historyEncoder
        );
        return this;
    }

    /** The body's values while it is read; {@link RecommendQuery} checks them together. */
    private static final class Body {
        String field;
        UserSpec user;
        List<UserSpec> users;
        int k = RecommendQuery.DEFAULT_K;
        int numCandidates = -1;
        boolean exact;
        QueryBuilder candidateQuery;
        QueryBuilder filter;
        List<String> excludeIds = List.of();
        String seenField;
        String model;
        String historyEncoder;
        double mmrLambda = Double.NaN;
        int mmrPool = -1;
        String historyField;
        String fallbackField;
        boolean explain;
        boolean profile;
        FetchSourceContext fetchSource = FetchSourceContext.FETCH_SOURCE;
    }

    /**
     * @return {@code value}, a count the request gave: at least 1 ({@code -1} is how {@link RecommendQuery} is told
     *     to use its default, so a request must not be able to send it)
     */
    private static int positive(int value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException("[" + field + "] must be at least 1 but was " + value);
        }
        return value;
    }

    private static final StrictObjectParser<Body> BODY = StrictObjectParser.root("_recommend", Body::new)
        .text("field", (b, v) -> b.field = v)
        .value("user", UserSpec::parse, (b, v) -> b.user = v)
        .value("users", RecommendRequest::users, (b, v) -> b.users = v)
        .integer("k", (b, v) -> b.k = v)
        .object(
            "candidates",
            StrictObjectParser.<Body>nested("candidates")
                .object(
                    "knn",
                    StrictObjectParser.<Body>nested("candidates.knn")
                        .integer("num_candidates", (b, v) -> b.numCandidates = positive(v, "candidates.num_candidates"))
                        .bool("exact", (b, v) -> b.exact = v)
                )
                .query("query", (b, v) -> b.candidateQuery = v)
                .integer("num_candidates", (b, v) -> b.numCandidates = positive(v, "candidates.num_candidates"))
        )
        .query("filter", (b, v) -> b.filter = v)
        .object(
            "exclude",
            StrictObjectParser.<Body>nested("exclude")
                .value("ids", p -> StrictValues.texts(p, "exclude.ids", RecommendQuery.MAX_EXCLUDE_IDS), (b, v) -> b.excludeIds = v)
                .text("seen_field", (b, v) -> b.seenField = v)
        )
        .text("model", (b, v) -> b.model = v)
        .object(
            "diversity",
            StrictObjectParser.<Body>nested("diversity")
                .object(
                    "mmr",
                    b -> b.mmrLambda = 0.5,
                    StrictObjectParser.<Body>nested("diversity.mmr")
                        .real("lambda", (b, v) -> b.mmrLambda = v) // its range is RecommendQuery's to check
                        .integer("pool", (b, v) -> b.mmrPool = positive(v, "diversity.mmr.pool"))
                )
        )
        .object(
            "cold_start",
            StrictObjectParser.<Body>nested("cold_start")
                .text("history_field", (b, v) -> b.historyField = v)
                .text("fallback_field", (b, v) -> b.fallbackField = v)
                .text("encoder", (b, v) -> b.historyEncoder = v)
        )
        .bool("explain", (b, v) -> b.explain = v)
        .bool("profile", (b, v) -> b.profile = v)
        .value("_source", FetchSourceContext::fromXContent, (b, v) -> b.fetchSource = v);

    private static List<UserSpec> users(XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw new IllegalArgumentException("[users] must be an array of user objects");
        }
        List<UserSpec> list = new ArrayList<>();
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            list.add(UserSpec.parse(parser));
        }
        return list;
    }

    @Override
    public ActionRequestValidationException validate() {
        if (query == null) {
            ActionRequestValidationException e = new ActionRequestValidationException();
            e.addValidationError("[_recommend] needs a query: a body with at least [field] and [user]");
            return e;
        }
        return null; // a RecommendQuery is valid by construction
    }

    @Override
    public String[] indices() {
        return indices;
    }

    @Override
    public RecommendRequest indices(String... newIndices) {
        this.indices = newIndices;
        return this;
    }

    @Override
    public IndicesOptions indicesOptions() {
        return indicesOptions;
    }

    /** @return what is asked, or {@code null} before the body was read */
    public RecommendQuery query() {
        return query;
    }

    /** Sets what is asked (a request built in Java). */
    public RecommendRequest query(RecommendQuery newQuery) {
        this.query = newQuery;
        return this;
    }

    /**
     * A cancellable task whose cancellation reaches its candidate searches: the REST layer cancels it when the client
     * goes away, and {@code POST _tasks/<id>/_cancel} does, so an abandoned request stops between its stages instead
     * of running to the end with what it holds.
     */
    @Override
    public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
        return new CancellableTask(id, type, action, "_recommend over " + Arrays.toString(indices()), parentTaskId, headers) {
            @Override
            public boolean shouldCancelChildrenOnCancellation() {
                return true;
            }
        };
    }
}
