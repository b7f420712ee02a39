package org.recommender.plugin.query;

import org.opensearch.index.IndexSettings;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.deciders.ConcurrentSearchDecision;
import org.opensearch.search.deciders.ConcurrentSearchRequestDecider;

import java.util.Optional;

/**
 * Asks OpenSearch's concurrent segment search (mode {@code auto}, the default) to search a shard's segments in
 * parallel when the request has an {@code embedding_knn} query: its exact scan ({@link ExactKnnQuery}) and Lucene's
 * approximate search both run one task per segment on the searcher's executor, so a shard of several segments
 * uses several cores for one query. Says nothing about other requests; mode {@code none} still turns it off.
 */
public final class EmbeddingKnnConcurrency extends ConcurrentSearchRequestDecider {
    private boolean knn;

    @Override
    public void evaluateForQuery(QueryBuilder query, IndexSettings settings) {
        knn |= query instanceof EmbeddingKnnQueryBuilder;
    }

    @Override
    public ConcurrentSearchDecision getConcurrentSearchDecision() {
        return knn
            ? new ConcurrentSearchDecision(ConcurrentSearchDecision.DecisionStatus.YES, "an [embedding_knn] query scans each segment as its own task")
            : new ConcurrentSearchDecision(ConcurrentSearchDecision.DecisionStatus.NO_OP, "no [embedding_knn] query");
    }

    /** One decider per request. */
    public static final class Factory implements ConcurrentSearchRequestDecider.Factory {
        @Override
        public Optional<ConcurrentSearchRequestDecider> create(IndexSettings settings) {
            return Optional.of(new EmbeddingKnnConcurrency());
        }
    }
}
