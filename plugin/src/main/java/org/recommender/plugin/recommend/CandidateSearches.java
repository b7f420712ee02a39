package org.recommender.plugin.recommend;

import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.sort.SortBuilders;
import org.opensearch.search.sort.SortOrder;
import org.recommender.plugin.action.recommend.RecommendRequest;
import org.recommender.plugin.action.recommend.RecommendResponse.Strategy;
import org.opensearch.search.rescore.RescorerBuilder;
import org.recommender.plugin.query.EmbeddingKnnQueryBuilder;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One search per user, sent together as one multi-search: the user's candidates ({@code embedding_knn} over the
 * items' field, {@code num_candidates} per shard, or the request's candidate query) with the filter and every
 * exclusion applied inside the search — so excluded items never take a candidate slot — or, for a fallback user,
 * the filtered items by the fallback field. Candidates are either scored on the shards, by the {@code recommender}
 * rescorer in one batched call per shard window, or all returned with their vectors to be scored together on the
 * coordinating node.
 */
final class CandidateSearches {
    private CandidateSearches() {}

    /**
     * @param scoreOnShards whether each shard scores its candidates with the model ({@code rescore}) and returns
     *     only the best ({@code k}, or the MMR pool with vectors); else every candidate comes back with its vector
     *     for one batched call on the coordinating node
     * @param rescorer the model rescorer for a user's vector, or {@code null} when ranking by the knn score
     * @param shards how many shards the request targets: on the coordinating path a knn search returns all of
     *     them, so both paths see the same candidates ({@code num_candidates} per shard)
     */
    static MultiSearchRequest build(
        RecommendRequest request,
        List<ResolvedUser> users,
        boolean scoreOnShards,
        Function<float[], RescorerBuilder<?>> rescorer,
        int shards
    ) {
        MultiSearchRequest searches = new MultiSearchRequest();
        for (ResolvedUser user : users) {
            Set<String> excluded = excluded(request, user);
            // Vectors come from the field's Lucene values (binary), not from _source; sources are read later, for the
            // returned items only. Loading hundreds of documents is what costs most, so the shard path returns few.
            SearchSourceBuilder source = new SearchSourceBuilder().trackTotalHits(false).fetchSource(false);
            if (user.strategy() == Strategy.FALLBACK) {
                BoolQueryBuilder query = restrictions(request, excluded);
                if (request.candidateQuery() != null) {
                    query.must(request.candidateQuery());
                }
                source.query(query).size(request.k()).sort(SortBuilders.fieldSort(request.fallbackField()).order(SortOrder.DESC).missing("_last"));
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
                        source.fetchField(request.field());
                    }
                    if (rescorer != null) {
                        source.addRescorer(rescorer.apply(user.vector()));
                    }
                } else {
                    source.fetchField(request.field()).size(request.candidateQuery() == null ? request.numCandidates() * shards : request.numCandidates());
                }
            }
            searches.add(new SearchRequest(request.indices()).indicesOptions(request.indicesOptions()).source(source));
        }
        return searches;
    }

    /** @return the ids this user must never get: the request's and the user's seen items */
    static Set<String> excluded(RecommendRequest request, ResolvedUser user) {
        Set<String> ids = new LinkedHashSet<>(request.excludeIds());
        ids.addAll(user.seen());
        return ids;
    }

    private static BoolQueryBuilder restrictions(RecommendRequest request, Set<String> excluded) {
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
