package org.recommender.plugin.action.recommend;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.IndicesRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.recommender.plugin.recommend.RecommendQuery;
import org.recommender.plugin.query.StrictValues;
import org.recommender.plugin.query.UserSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
        if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException("the request body must be a JSON object");
        }
        Body body = new Body();
        String name = null;
        boolean sawUser = false;
        for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_OBJECT; token = parser.nextToken()) {
            if (token == XContentParser.Token.FIELD_NAME) {
                name = parser.currentName();
                parser.nextToken();
            }
            switch (name) {
                case "field" -> body.field = StrictValues.text(parser, "field");
                case "user" -> {
                    body.users = List.of(UserSpec.parse(parser));
                    sawUser = true;
                }
                case "users" -> {
                    if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
                        throw new IllegalArgumentException("[users] must be an array of user objects");
                    }
                    List<UserSpec> list = new ArrayList<>();
                    while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                        list.add(UserSpec.parse(parser));
                    }
                    body.users = list;
                    body.batch = true;
                }
                case "k" -> body.k = StrictValues.integer(parser, "k");
                case "candidates" -> parseCandidates(parser, body);
                case "filter" -> body.filter = query(parser, "filter");
                case "exclude" -> parseExclude(parser, body);
                case "model" -> body.model = StrictValues.text(parser, "model");
                case "diversity" -> parseDiversity(parser, body);
                case "cold_start" -> parseColdStart(parser, body);
                case "explain" -> body.explain = StrictValues.bool(parser, "explain");
                case "profile" -> body.profile = StrictValues.bool(parser, "profile");
                case "_source" -> body.fetchSource = FetchSourceContext.fromXContent(parser);
                default -> throw new IllegalArgumentException(
                    "unknown field [" + name + "]; expected [field, user, users, k, candidates, filter, exclude, model, diversity, cold_start, explain, profile, _source]"
                );
            }
        }
        if (sawUser && body.batch) {
            throw new IllegalArgumentException("give either [user] or [users], not both");
        }
        query = new RecommendQuery(
            body.field,
            body.users,
            body.batch,
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
            body.fetchSource
        );
        return this;
    }

    /** The body's values while it is read; {@link RecommendQuery} checks them together. */
    private static final class Body {
        String field;
        List<UserSpec> users = List.of();
        boolean batch;
        int k = RecommendQuery.DEFAULT_K;
        int numCandidates = -1;
        boolean exact;
        QueryBuilder candidateQuery;
        QueryBuilder filter;
        List<String> excludeIds = List.of();
        String seenField;
        String model;
        double mmrLambda = Double.NaN;
        int mmrPool = -1;
        String historyField;
        String fallbackField;
        boolean explain;
        boolean profile;
        FetchSourceContext fetchSource = FetchSourceContext.FETCH_SOURCE;
    }

    private static void parseCandidates(XContentParser parser, Body body) throws IOException {
        expectObject(parser, "candidates");
        forEachField(parser, name -> {
            switch (name) {
                case "knn" -> {
                    expectObject(parser, "candidates.knn");
                    forEachField(parser, inner -> {
                        switch (inner) {
                            case "num_candidates" -> body.numCandidates = StrictValues.integer(parser, "candidates.knn.num_candidates");
                            case "exact" -> body.exact = StrictValues.bool(parser, "candidates.knn.exact");
                            default -> throw new IllegalArgumentException(
                                "unknown field [candidates.knn." + inner + "]; expected [num_candidates, exact]"
                            );
                        }
                    });
                }
                case "query" -> body.candidateQuery = query(parser, "candidates.query");
                case "num_candidates" -> body.numCandidates = StrictValues.integer(parser, "candidates.num_candidates");
                default -> throw new IllegalArgumentException("unknown field [candidates." + name + "]; expected [knn] or [query, num_candidates]");
            }
        });
    }

    private static void parseExclude(XContentParser parser, Body body) throws IOException {
        expectObject(parser, "exclude");
        forEachField(parser, name -> {
            switch (name) {
                case "ids" -> {
                    if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
                        throw new IllegalArgumentException("[exclude.ids] must be an array of ids");
                    }
                    List<String> ids = new ArrayList<>();
                    while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                        ids.add(StrictValues.text(parser, "exclude.ids][" + ids.size()));
                    }
                    body.excludeIds = ids;
                }
                case "seen_field" -> body.seenField = StrictValues.text(parser, "exclude.seen_field");
                default -> throw new IllegalArgumentException("unknown field [exclude." + name + "]; expected [ids, seen_field]");
            }
        });
    }

    private static void parseDiversity(XContentParser parser, Body body) throws IOException {
        expectObject(parser, "diversity");
        forEachField(parser, name -> {
            if ("mmr".equals(name) == false) {
                throw new IllegalArgumentException("unknown field [diversity." + name + "]; expected [mmr]");
            }
            expectObject(parser, "diversity.mmr");
            body.mmrLambda = 0.5;
            forEachField(parser, inner -> {
                switch (inner) {
                    case "lambda" -> {
                        if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
                            throw new IllegalArgumentException("[diversity.mmr.lambda] must be a number");
                        }
                        body.mmrLambda = parser.doubleValue(); // its range is RecommendQuery's to check
                    }
                    case "pool" -> body.mmrPool = StrictValues.integer(parser, "diversity.mmr.pool");
                    default -> throw new IllegalArgumentException("unknown field [diversity.mmr." + inner + "]; expected [lambda, pool]");
                }
            });
        });
    }

    private static void parseColdStart(XContentParser parser, Body body) throws IOException {
        expectObject(parser, "cold_start");
        forEachField(parser, name -> {
            switch (name) {
                case "history_field" -> body.historyField = StrictValues.text(parser, "cold_start.history_field");
                case "fallback_field" -> body.fallbackField = StrictValues.text(parser, "cold_start.fallback_field");
                default -> throw new IllegalArgumentException("unknown field [cold_start." + name + "]; expected [history_field, fallback_field]");
            }
        });
    }

    /** What to do with one field of an object; the parser is on the field's value. */
    @FunctionalInterface
    private interface FieldReader {
        void read(String name) throws IOException;
    }

    /** Calls {@code reader} for each field of the object the parser is in, until its end. */
    private static void forEachField(XContentParser parser, FieldReader reader) throws IOException {
        for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_OBJECT; token = parser.nextToken()) {
            if (token != XContentParser.Token.FIELD_NAME) {
                throw new IllegalArgumentException("expected a field name but found [" + token + "]");
            }
            String name = parser.currentName();
            parser.nextToken();
            reader.read(name);
        }
    }

    private static void expectObject(XContentParser parser, String name) {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException("[" + name + "] must be an object");
        }
    }

    private static QueryBuilder query(XContentParser parser, String name) throws IOException {
        expectObject(parser, name);
        try {
            return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("[" + name + "] is not a valid query: " + e.getMessage(), e);
        }
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
}
