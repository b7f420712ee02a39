package org.recommender.plugin.recommend;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.recommender.plugin.query.EmbeddingKnnQueryBuilder;
import org.recommender.plugin.query.UserSpec;
import org.recommender.plugin.store.ModelIds;

import java.io.IOException;
import java.util.List;

/**
 * What a {@code _recommend} asks for, valid by construction: every instance — parsed from a body or built in Java —
 * has passed the same checks, each refusing a bad value with a message naming its field. Limits that are node
 * settings ({@code max_k}, {@code max_users}) are checked when the request is planned.
 *
 * @param field the items' embedding field
 * @param users who to recommend for, one or many
 * @param batch whether the body used {@code users} (the answer then lists users)
 * @param k items returned per user, at least 1
 * @param numCandidates candidates retrieved per user (per shard for knn), between k and
 *     {@link EmbeddingKnnQueryBuilder#MAX_CANDIDATES}; -1 for the default {@code max(100, k)}
 * @param exact whether knn candidates are found by exact scoring instead of the HNSW graph
 * @param candidateQuery a query that finds the candidates instead of knn, or {@code null}
 * @param filter a filter every item must match, or {@code null}
 * @param excludeIds items never returned
 * @param seenField a user-document field of items never returned to that user, or {@code null}
 * @param model the stored model that scores, or {@code null} for the field's similarity
 * @param mmrLambda MMR's trade-off in [0, 1], or NaN when not diversifying
 * @param mmrPool how many of the best candidates MMR chooses from; -1 for the default {@code min(num_candidates, max(3k, 50))}
 * @param historyField cold start: a user-document field of item ids to encode, or {@code null}
 * @param fallbackField cold start: a numeric item field to rank by for users without a vector, or {@code null}
 * @param explain whether each item says how it was scored
 * @param profile whether the answer has per-stage timings
 * @param fetchSource what of each returned item's source to return
 * @param historyEncoder cold start: the stored user encoder that turns a {@code historyField} history into the user
 *     vector ({@code cold_start.encoder}), or {@code null} for the mean of its items' vectors
 */
public record RecommendQuery(
    String field,
    List<UserSpec> users,
    boolean batch,
    int k,
    int numCandidates,
    boolean exact,
    QueryBuilder candidateQuery,
    QueryBuilder filter,
    List<String> excludeIds,
    String seenField,
    String model,
    double mmrLambda,
    int mmrPool,
    String historyField,
    String fallbackField,
    boolean explain,
    boolean profile,
    FetchSourceContext fetchSource,
    String historyEncoder
) implements Writeable {
    /** Default number of items returned per user. */
    public static final int DEFAULT_K = 10;
    /** Default number of candidates retrieved per user. */
    public static final int DEFAULT_CANDIDATES = 100;
    /**
     * Most ids {@code exclude.ids} may list: the default of {@code index.max_terms_count}, the most terms OpenSearch
     * lets one terms query hold. The ids go into every user's candidate search (with that user's seen items), so an
     * unbounded list was copied once per user on the coordinating node and again on every shard.
     */
    public static final int MAX_EXCLUDE_IDS = 65_536;

    /** @return this request with its candidate query and filter replaced (by what they rewrite to) */
    public RecommendQuery withQueries(QueryBuilder candidateQuery, QueryBuilder filter) {
        return new RecommendQuery(
            field, users, batch, k, numCandidates, exact, candidateQuery, filter, excludeIds, seenField, model, mmrLambda, mmrPool,
            historyField, fallbackField, explain, profile, fetchSource, historyEncoder
        );
    }

    /** @throws IllegalArgumentException naming the offending field */
    public RecommendQuery {
        if (field == null) {
            throw new IllegalArgumentException("[field] is required: the items' embedding field");
        }
        users = List.copyOf(users);
        if (users.isEmpty()) {
            throw new IllegalArgumentException(batch ? "[users] must name at least one user" : "[user] or [users] is required");
        }
        if (batch == false && users.size() > 1) {
            throw new IllegalArgumentException("[user] is one user; name several with [users]");
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
        if (excludeIds.size() > MAX_EXCLUDE_IDS) {
            throw new IllegalArgumentException("[exclude.ids] lists " + excludeIds.size() + " ids but at most " + MAX_EXCLUDE_IDS + " are allowed");
        }
        excludeIds = List.copyOf(excludeIds);
        if (Double.isNaN(mmrLambda) == false) {
            if (!(mmrLambda >= 0 && mmrLambda <= 1)) {
                throw new IllegalArgumentException("[diversity.mmr.lambda] must be between 0 and 1 but was " + mmrLambda);
            }
            if (mmrPool == -1) {
                mmrPool = Math.min(numCandidates, Math.max(3 * k, 50));
            }
            if (mmrPool < k || mmrPool > numCandidates) {
                throw new IllegalArgumentException(
                    "[diversity.mmr.pool] must be between [k] (" + k + ") and [candidates.num_candidates] (" + numCandidates + ") but was " + mmrPool
                );
            }
        }
        if (fetchSource == null) {
            fetchSource = FetchSourceContext.FETCH_SOURCE;
        }
        historyEncoder = ModelIds.encoder("[cold_start.encoder]", historyEncoder, UserSpec.MEAN);
        if (historyEncoder != null && historyField == null) {
            throw new IllegalArgumentException("[cold_start.encoder] needs [cold_start.history_field]: it encodes the stored users' histories");
        }
        if (model != null) {
            ModelIds.reference("[model]", model);
        }
    }

    /** A query whose stored histories are the mean of their items' vectors (no {@code cold_start.encoder}). */
    public RecommendQuery(
        String field,
        List<UserSpec> users,
        boolean batch,
        int k,
        int numCandidates,
        boolean exact,
        QueryBuilder candidateQuery,
        QueryBuilder filter,
        List<String> excludeIds,
        String seenField,
        String model,
        double mmrLambda,
        int mmrPool,
        String historyField,
        String fallbackField,
        boolean explain,
        boolean profile,
        FetchSourceContext fetchSource
    ) {
        this(field, users, batch, k, numCandidates, exact, candidateQuery, filter, excludeIds, seenField, model, mmrLambda, mmrPool,
            historyField, fallbackField, explain, profile, fetchSource, null);
    }

    /** Reads a query from the wire. */
    public static RecommendQuery readFrom(StreamInput in) throws IOException {
        return new RecommendQuery(
            in.readString(),
            in.readList(UserSpec::new),
            in.readBoolean(),
            in.readVInt(),
            in.readVInt(),
            in.readBoolean(),
            in.readOptionalNamedWriteable(QueryBuilder.class),
            in.readOptionalNamedWriteable(QueryBuilder.class),
            in.readStringList(),
            in.readOptionalString(),
            in.readOptionalString(),
            in.readDouble(),
            in.readInt(),
            in.readOptionalString(),
            in.readOptionalString(),
            in.readBoolean(),
            in.readBoolean(),
            new FetchSourceContext(in),
            // appended last; a request travels between nodes only when a transport client sends it to another node
            in.readOptionalString()
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
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
        out.writeOptionalString(historyEncoder);
    }

    /** @return whether the top of each list is diversified with MMR */
    public boolean diversify() {
        return Double.isNaN(mmrLambda) == false;
    }
}
