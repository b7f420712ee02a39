package org.recommender.plugin.recommend;

import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.sort.SortBuilders;
import org.opensearch.search.sort.SortOrder;
import org.recommender.plugin.query.EmbeddingKnnQueryBuilder;
import org.recommender.plugin.query.RecommenderRescorerBuilder;
import org.recommender.plugin.query.RescorerServices;

import java.util.List;
import java.util.Set;

/**
 * One search per user, sent together as one multi-search: the user's candidates ({@code embedding_knn} over the
 * items' field, {@code num_candidates} per shard, or the request's candidate query) with the filter and every
 * exclusion applied inside the search — so excluded items never take a candidate slot — or, for a fallback user,
 * the filtered items by the fallback field. Candidates are either scored on the shards, by the {@code recommender}
 * rescorer in one batched call per shard window, or all returned with their vectors to be scored on the
 * coordinating node (one batched call per user).
 */
final class CandidateSearches {
    /**
     * Bytes the coordinating node holds per vector value a candidate search fetches: each hit's vector arrives as one
     * {@code float[]} ({@link CandidateVectors}; 4 bytes a value), which the ranker scores without copying, read from a
     * shard's answer that holds it serialised (4 more) until that answer is read. It was 28 while the values came as
     * boxed {@code Float}s through the {@code fields} option.
     */
    static final long BYTES_PER_FETCHED_VALUE = 8;
    /** Bytes per fetched hit besides its values: the hit, its field and the list holding the values. */
    static final long BYTES_PER_FETCHED_HIT = 256;

    private CandidateSearches() {}

    /**
     * @param searches candidate searches {@link #build} made
     * @param field the items' field, whose vectors some of them fetch
     * @param dims its dimension
     * @return the most bytes the coordinating node holds for the vectors those searches return (each search's
     *     {@code size} hits, every one with its vector), for the breaker before they are sent
     */
    static long vectorBytes(MultiSearchRequest searches, String field, int dims) {
        long bytes = 0;
        for (SearchRequest search : searches.requests()) {
            SearchSourceBuilder source = search.source();
            boolean fetches = source.ext().stream().anyMatch(ext -> ext instanceof CandidateVectors.Ext vectors && vectors.field().equals(field));
            if (fetches) {
                bytes += Math.max(0, source.size()) * (dims * BYTES_PER_FETCHED_VALUE + BYTES_PER_FETCHED_HIT);
            }
        }
        return bytes;
    }

    /**
     * Where the plan scores on the shards, each shard scores its candidates with the pinned model ({@code rescore})
     * and returns only the best ({@code k}, or the MMR pool with vectors); else every candidate comes back with its
     * vector, to be scored on the coordinating node — {@code num_candidates} from every shard for knn, so
     * both paths see the same candidates.
     *
     * @param rescorers what a rescorer needs on the shards (unused without a model), and the node's user services
     */
    static MultiSearchRequest build(RecommendPlan plan, List<ResolvedUser> users, RescorerServices rescorers) {
        RecommendQuery request = plan.query();
        boolean scoreOnShards = plan.scoreOnShards();
        MultiSearchRequest searches = new MultiSearchRequest();
        for (int u = 0; u < users.size(); u++) {
            ResolvedUser user = users.get(u);
            Set<String> excluded = user.excluded();
            // Vectors come from the field's Lucene values (binary), not from _source; sources are read later, for the
            // returned items only. Loading hundreds of documents is what costs most, so the shard path returns few.
            SearchSourceBuilder source = new SearchSourceBuilder().trackTotalHits(false).fetchSource(false);
            if (user.strategy() == Strategy.FALLBACK) {
                BoolQueryBuilder query = restrictions(request, excluded);
                if (request.candidateQuery() != null) {
                    query.must(request.candidateQuery());
                }
                source.query(query).size(request.k()).sort(SortBuilders.fieldSort(request.fallbackField()).order(SortOrder.DESC).missing("_last"));
            } else if (user.scoredByItsSearch()) {
                // best_score: each shard scores its candidates against every example and returns its best, whatever
                // the plan decided for vector users (there is no vector for a users × items grid)
                BoolQueryBuilder restrictions = restrictions(request, excluded);
                source.query(
                    EmbeddingKnnQueryBuilder.forExamples(
                        request.field(),
                        request.users().get(u),
                        user.examples(),
                        request.numCandidates(),
                        request.numCandidates(),
                        restrictions.hasClauses() ? restrictions : null,
                        request.exact(),
                        request.candidateQuery(),
                        rescorers.userServices()
                    )
                );
                source.size(request.diversify() ? request.mmrPool() : request.k());
                if (request.diversify()) {
                    withVectors(source, request.field());
                }
                if (plan.model() != null) {
                    source.addRescorer(
                        RecommenderRescorerBuilder.modelOnly(
                            rescorers, request.field(), plan.pin(), request.users().get(u), user.examples(), request.numCandidates()
                        )
                    );
                }
            } else {
                BoolQueryBuilder restrictions = restrictions(request, excluded);
                if (request.candidateQuery() != null) {
                    // items without a vector cannot be scored: keep them out of the candidate slots
                    source.query(restrictions.filter(QueryBuilders.existsQuery(request.field())).must(request.candidateQuery()));
                } else {
                    QueryBuilder filter = restrictions.hasClauses() ? restrictions : null;
                    source.query(
                        EmbeddingKnnQueryBuilder.forVector(
                            request.field(),
                            user.vector(),
                            request.numCandidates(),
                            request.numCandidates(),
                            filter,
                            request.exact()
                        )
                    );
                }
                if (scoreOnShards) {
                    source.size(request.diversify() ? request.mmrPool() : request.k());
                    if (request.diversify()) {
                        withVectors(source, request.field());
                    }
                    if (plan.model() != null) {
                        source.addRescorer(
                            RecommenderRescorerBuilder.modelOnly(rescorers, request.field(), plan.pin(), user.vector(), request.numCandidates())
                        );
                    }
                } else {
                    int size = request.candidateQuery() == null ? request.numCandidates() * plan.shards() : request.numCandidates();
                    withVectors(source, request.field()).size(size);
                }
            }
            searches.add(new SearchRequest(plan.indices()).indicesOptions(plan.indicesOptions()).source(source));
        }
        return searches;
    }

    /** Has each hit carry its vector of {@code field}, read from Lucene's values ({@link CandidateVectors}). */
    private static SearchSourceBuilder withVectors(SearchSourceBuilder source, String field) {
        return source.ext(List.of(new CandidateVectors.Ext(field)));
    }

    private static BoolQueryBuilder restrictions(RecommendQuery request, Set<String> excluded) {
        BoolQueryBuilder bool = QueryBuilders.boolQuery();
        if (request.filter() != null) {
            bool.filter(request.filter());
        }
        if (excluded.isEmpty() == false) {
            bool.mustNot(QueryBuilders.idsQuery().addIds(excluded.toArray(String[]::new)));
        }
        return bool;
    }
}
