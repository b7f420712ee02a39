package org.recommender.plugin;

import org.opensearch.ExceptionsHelper;
import org.opensearch.action.search.SearchPhaseExecutionException;
import org.opensearch.action.search.ShardSearchFailure;

/** Collects everything a failed search says, so tests can assert on the message a user would see. */
public final class SearchFailures {
    private SearchFailures() {}

    /** @return the exception chain's messages plus every shard failure's reason */
    public static String describe(Throwable t) {
        StringBuilder all = new StringBuilder(ExceptionsHelper.detailedMessage(t));
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(" | ").append(c.getMessage());
            if (c instanceof SearchPhaseExecutionException phase) {
                for (ShardSearchFailure failure : phase.shardFailures()) {
                    all.append(" | shard: ").append(failure.reason());
                }
            }
        }
        return all.toString();
    }
}
