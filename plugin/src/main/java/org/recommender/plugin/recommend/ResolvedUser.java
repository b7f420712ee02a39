package org.recommender.plugin.recommend;

import org.recommender.core.vector.BestScore;

import java.util.List;
import java.util.Set;

/**
 * A user ready to be served: the vector to score with ({@code null} for the fallback strategy and for a
 * {@code best_score} example user, which has its examples instead), how it was found, and the items it must never
 * get.
 *
 * @param id the user document's id, or {@code null} for inline users
 * @param excluded the request's excluded ids and the user's seen items (and an example user's examples), together
 * @param encodedBy the user encoder (id, version, type) that made {@code vector} of a history, as explanations name
 *     it, or {@code null}
 */
record ResolvedUser(String id, Strategy strategy, float[] vector, Set<String> excluded, String encodedBy, BestScore examples) {
    /** A user whose vector no encoder made. */
    ResolvedUser(String id, Strategy strategy, float[] vector, Set<String> excluded) {
        this(id, strategy, vector, excluded, null, null);
    }

    /**
     * @return whether the shards score this user's candidates whatever the plan says: a best-score user has no
     *     vector for a users × items grid, so its candidate search returns its final scores
     */
    boolean scoredByItsSearch() {
        return examples != null;
    }

    /** @return the items never returned to a user who has seen {@code seen}, under {@code query} */
    static Set<String> excluded(RecommendQuery query, List<String> seen) {
        Set<String> ids = new java.util.LinkedHashSet<>(query.excludeIds());
        ids.addAll(seen);
        return ids;
    }
}
