package org.recommender.plugin.recommend;

import org.recommender.plugin.action.recommend.RecommendResponse.Strategy;

import java.util.List;

/**
 * A user ready to be served: the vector to score with ({@code null} for the fallback strategy), how it was found,
 * and the items the user has seen (to exclude).
 *
 * @param id the user document's id, or {@code null} for inline users
 */
record ResolvedUser(String id, Strategy strategy, float[] vector, List<String> seen) {}
