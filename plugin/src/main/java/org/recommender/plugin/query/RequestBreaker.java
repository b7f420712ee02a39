package org.recommender.plugin.query;

import org.opensearch.common.util.BigArrays;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.breaker.NoopCircuitBreaker;
import org.opensearch.core.indices.breaker.CircuitBreakerService;
import org.opensearch.index.query.QueryShardContext;

/**
 * The node's {@code request} circuit breaker, which accounts the memory a search holds while it runs (OpenSearch's
 * aggregations charge it too): the one place the plugin's queries and rescorer find it.
 */
final class RequestBreaker {
    private RequestBreaker() {}

    /**
     * @param context the shard's query context
     * @return its node's {@code request} breaker; a breaker that never trips where the context has no breaker service
     *     (contexts some unit tests make)
     */
    static CircuitBreaker of(QueryShardContext context) {
        BigArrays bigArrays = context.bigArrays();
        CircuitBreakerService breakers = bigArrays == null ? null : bigArrays.breakerService();
        return breakers == null ? new NoopCircuitBreaker(CircuitBreaker.REQUEST) : breakers.getBreaker(CircuitBreaker.REQUEST);
    }
}
