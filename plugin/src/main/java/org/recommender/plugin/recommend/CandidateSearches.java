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
import org.recommender.plugin.query.EmbeddingKnnQueryBuilder;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One search per user, sent together as one multi-search: the user's candidates ({@code embedding_knn} over the
 * items' field, or the request's candidate query) with the filter and every exclusion applied inside the search —
 * so excluded items never take a candidate slot — or, for a fallback user, the filtered items by the fallback field.
 * Each search returns the global top candidates across shards, each with its vector (not its source).
 */
final class CandidateSearches {
    private CandidateSearches() {}

    static MultiSearchRequest build(RecommendRequest request, List<ResolvedUser> users) {
        MultiSearchRequest searches = new MultiSearchRequest();
        for (ResolvedUser user : users) {
            Set<String> excluded = excluded(request, user);
            // Vectors come from the field's Lucene values (binary), not from _source: parsing hundreds of JSON sources
            // per user cost more than everything else together. Sources are read later, for the returned items only.
            SearchSourceBuilder source = new SearchSourceBuilder().trackTotalHits(false).fetchSource(false).fetchField(request.field());
            if (user.strategy() == Strategy.FALLBACK) {
                BoolQueryBuilder query = restrictions(request, excluded);
                if (request.candidateQuery() != null) {
                    query.must(request.candidateQuery());
                }
                source.query(query).size(request.k()).sort(SortBuilders.fieldSort(request.fallbackField()).order(SortOrder.DESC).missing("_last"));
            } else if (request.candidateQuery() != null) {
                source.query(restrictions(request, excluded).must(request.candidateQuery())).size(request.numCandidates());
            } else {
                BoolQueryBuilder restrictions = restrictions(request, excluded);
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
                ).size(request.numCandidates());
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
