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
import org.recommender.plugin.query.EmbeddingKnnQueryBuilder;
import org.recommender.plugin.query.StrictValues;
import org.recommender.plugin.query.UserSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /{index}/_recommend}, parsed and validated: who ({@code user} or {@code users}), which
 * items ({@code field}, {@code candidates}, {@code filter}, {@code exclude}), how to score ({@code model}), how to
 * diversify ({@code diversity.mmr}), what to do for users without a vector ({@code cold_start}), and what to return
 * ({@code k}, {@code _source}, {@code explain}, {@code profile}). Every bad value is refused here with a message
 * naming its field; limits that are node settings are checked by the transport action.
 */
public final class RecommendRequest extends ActionRequest implements IndicesRequest.Replaceable {
    /** Default number of items returned per user. */
    public static final int DEFAULT_K = 10;
    /** Default number of candidates retrieved per user. */
    public static final int DEFAULT_CANDIDATES = 100;

    private String[] indices;
    private IndicesOptions indicesOptions = IndicesOptions.strictExpandOpenAndForbidClosed();
    private String field;
    private List<UserSpec> users = List.of();
    private boolean batch;
    private int k = DEFAULT_K;
    private int numCandidates = -1;
    private boolean exact;
    private QueryBuilder candidateQuery;
    private QueryBuilder filter;
    private List<String> excludeIds = List.of();
    private String seenField;
    private String model;
    private double mmrLambda = Double.NaN;
    private int mmrPool = -1;
    private String historyField;
    private String fallbackField;
    private boolean explain;
    private boolean profile;
    private FetchSourceContext fetchSource = FetchSourceContext.FETCH_SOURCE;

    /** An empty request for {@code indices}; fill it with {@link #parse}. */
    public RecommendRequest(String... indices) {
        this.indices = indices;
    }

    /** Reads the request from the wire. */
    public RecommendRequest(StreamInput in) throws IOException {
        super(in);
        indices = in.readStringArray();
        indicesOptions = IndicesOptions.readIndicesOptions(in);
        field = in.readString();
        users = in.readList(UserSpec::new);
        batch = in.readBoolean();
        k = in.readVInt();
        numCandidates = in.readVInt();
        exact = in.readBoolean();
        candidateQuery = in.readOptionalNamedWriteable(QueryBuilder.class);
        filter = in.readOptionalNamedWriteable(QueryBuilder.class);
        excludeIds = in.readStringList();
        seenField = in.readOptionalString();
        model = in.readOptionalString();
        mmrLambda = in.readDouble();
        mmrPool = in.readInt();
        historyField = in.readOptionalString();
        fallbackField = in.readOptionalString();
        explain = in.readBoolean();
        profile = in.readBoolean();
        fetchSource = new FetchSourceContext(in);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeStringArray(indices);
        indicesOptions.writeIndicesOptions(out);
        out.writeString(field);
        out.writeList(users);
        out.writeBoolean(batch);
        out.writeVInt(k);
        out.writeVInt(numCandidates);
        out.writeBoolean(exact);
        out.writeOptionalNamedWriteable(candidateQuery);
        out.writeOptionalNamedWriteable(filter);
        out.writeStringCollection(excludeIds);
        out.writeOptionalString(seenField);
        out.writeOptionalString(model);
        out.writeDouble(mmrLambda);
        out.writeInt(mmrPool);
        out.writeOptionalString(historyField);
        out.writeOptionalString(fallbackField);
        out.writeBoolean(explain);
        out.writeBoolean(profile);
        fetchSource.writeTo(out);
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
        String name = null;
        boolean sawUser = false;
        for (XContentParser.Token token = parser.nextToken(); token != XContentParser.Token.END_OBJECT; token = parser.nextToken()) {
            if (token == XContentParser.Token.FIELD_NAME) {
                name = parser.currentName();
                parser.nextToken();
            }
            switch (name) {
                case "field" -> field = StrictValues.text(parser, "field");
                case "user" -> {
                    users = List.of(UserSpec.parse(parser));
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
                    users = list;
                    batch = true;
                }
                case "k" -> k = StrictValues.integer(parser, "k");
                case "candidates" -> parseCandidates(parser);
                case "filter" -> filter = query(parser, "filter");
                case "exclude" -> parseExclude(parser);
                case "model" -> model = StrictValues.text(parser, "model");
                case "diversity" -> parseDiversity(parser);
                case "cold_start" -> parseColdStart(parser);
                case "explain" -> explain = StrictValues.bool(parser, "explain");
                case "profile" -> profile = StrictValues.bool(parser, "profile");
                case "_source" -> fetchSource = FetchSourceContext.fromXContent(parser);
                default -> throw new IllegalArgumentException(
                    "unknown field [" + name + "]; expected [field, user, users, k, candidates, filter, exclude, model, diversity, cold_start, explain, profile, _source]"
                );
            }
        }
        if (field == null) {
            throw new IllegalArgumentException("[field] is required: the items' embedding field");
        }
        if (sawUser && batch) {
            throw new IllegalArgumentException("give either [user] or [users], not both");
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(batch ? "[users] must name at least one user" : "[user] or [users] is required");
        }
        if (k < 1) {
            throw new IllegalArgumentException("[k] must be at least 1 but was " + k);
        }
        if (numCandidates == -1) {
            numCandidates = Math.max(DEFAULT_CANDIDATES, k);
        }
        if (numCandidates < k || numCandidates > EmbeddingKnnQueryBuilder.MAX_CANDIDATES) {
            throw new IllegalArgumentException(
                "[candidates.num_candidates] must be between [k] (" + k + ") and " + EmbeddingKnnQueryBuilder.MAX_CANDIDATES + " but was " + numCandidates
            );
        }
        if (diversify()) {
            if (mmrPool == -1) {
                mmrPool = Math.min(numCandidates, Math.max(3 * k, 50));
            }
            if (mmrPool < k || mmrPool > numCandidates) {
                throw new IllegalArgumentException(
                    "[diversity.mmr.pool] must be between [k] (" + k + ") and [candidates.num_candidates] (" + numCandidates + ") but was " + mmrPool
                );
            }
        }
        return this;
    }

    private void parseCandidates(XContentParser parser) throws IOException {
        expectObject(parser, "candidates");
        forEachField(parser, name -> {
            switch (name) {
                case "knn" -> {
                    expectObject(parser, "candidates.knn");
                    forEachField(parser, inner -> {
                        switch (inner) {
                            case "num_candidates" -> numCandidates = StrictValues.integer(parser, "candidates.knn.num_candidates");
                            case "exact" -> exact = StrictValues.bool(parser, "candidates.knn.exact");
                            default -> throw new IllegalArgumentException(
                                "unknown field [candidates.knn." + inner + "]; expected [num_candidates, exact]"
                            );
                        }
                    });
                }
                case "query" -> candidateQuery = query(parser, "candidates.query");
                case "num_candidates" -> numCandidates = StrictValues.integer(parser, "candidates.num_candidates");
                default -> throw new IllegalArgumentException("unknown field [candidates." + name + "]; expected [knn] or [query, num_candidates]");
            }
        });
    }

    private void parseExclude(XContentParser parser) throws IOException {
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
                    excludeIds = ids;
                }
                case "seen_field" -> seenField = StrictValues.text(parser, "exclude.seen_field");
                default -> throw new IllegalArgumentException("unknown field [exclude." + name + "]; expected [ids, seen_field]");
            }
        });
    }

    private void parseDiversity(XContentParser parser) throws IOException {
        expectObject(parser, "diversity");
        forEachField(parser, name -> {
            if ("mmr".equals(name) == false) {
                throw new IllegalArgumentException("unknown field [diversity." + name + "]; expected [mmr]");
            }
            expectObject(parser, "diversity.mmr");
            mmrLambda = 0.5;
            forEachField(parser, inner -> {
                switch (inner) {
                    case "lambda" -> {
                        if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
                            throw new IllegalArgumentException("[diversity.mmr.lambda] must be a number");
                        }
                        mmrLambda = parser.doubleValue();
                        if (!(mmrLambda >= 0 && mmrLambda <= 1)) {
                            throw new IllegalArgumentException("[diversity.mmr.lambda] must be between 0 and 1 but was " + mmrLambda);
                        }
                    }
                    case "pool" -> mmrPool = StrictValues.integer(parser, "diversity.mmr.pool");
                    default -> throw new IllegalArgumentException("unknown field [diversity.mmr." + inner + "]; expected [lambda, pool]");
                }
            });
        });
    }

    private void parseColdStart(XContentParser parser) throws IOException {
        expectObject(parser, "cold_start");
        forEachField(parser, name -> {
            switch (name) {
                case "history_field" -> historyField = StrictValues.text(parser, "cold_start.history_field");
                case "fallback_field" -> fallbackField = StrictValues.text(parser, "cold_start.fallback_field");
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
        return null; // parse() refuses every bad value with a message naming its field
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

    /** @return the items' embedding field */
    public String field() {
        return field;
    }

    /** @return the users, one or many */
    public List<UserSpec> users() {
        return users;
    }

    /** @return whether the body used {@code users} (the response then lists users) */
    public boolean batch() {
        return batch;
    }

    /** @return items returned per user */
    public int k() {
        return k;
    }

    /** @return candidates retrieved per user */
    public int numCandidates() {
        return numCandidates;
    }

    /** @return whether knn candidates are found exactly (brute force) instead of through HNSW */
    public boolean exact() {
        return exact;
    }

    /** @return the query that finds candidates, or {@code null} for knn over {@link #field()} */
    public QueryBuilder candidateQuery() {
        return candidateQuery;
    }

    /** @return the filter every item must match, or {@code null} */
    public QueryBuilder filter() {
        return filter;
    }

    /** @return item ids never to return */
    public List<String> excludeIds() {
        return excludeIds;
    }

    /** @return the user document's field listing items the user has seen, or {@code null} */
    public String seenField() {
        return seenField;
    }

    /** @return the stored model id, or {@code null} to rank by the field's similarity */
    public String model() {
        return model;
    }

    /** @return whether MMR diversification is on */
    public boolean diversify() {
        return Double.isNaN(mmrLambda) == false;
    }

    /** @return MMR's relevance weight λ */
    public double mmrLambda() {
        return mmrLambda;
    }

    /** @return how many of the best-scored candidates MMR chooses from */
    public int mmrPool() {
        return mmrPool;
    }

    /** @return the user document's field of item ids used when it has no vector, or {@code null} */
    public String historyField() {
        return historyField;
    }

    /** @return the numeric item field ranking items for users with neither vector nor history, or {@code null} */
    public String fallbackField() {
        return fallbackField;
    }

    /** @return whether each item carries an explanation of its score */
    public boolean explain() {
        return explain;
    }

    /** @return whether per-stage timings are returned */
    public boolean profile() {
        return profile;
    }

    /** @return what of each item's source to return */
    public FetchSourceContext fetchSource() {
        return fetchSource;
    }
}
