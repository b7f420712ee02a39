package org.recommender.plugin.recommend;

import java.util.List;
import java.util.Map;

/**
 * What one {@code _recommend} run produced.
 *
 * @param tookMillis wall time of the run, in milliseconds
 * @param model what scored the items
 * @param batch whether the request named {@code users} (the answer then lists users)
 * @param users each user's ranking, in request order
 * @param profileNanos nanoseconds per stage, in stage order, or {@code null} when not asked
 */
public record Recommendations(long tookMillis, ScoredBy model, boolean batch, List<UserRanking> users, Map<String, Long> profileNanos) {
    /**
     * The model that scored the items: a stored one or the field's similarity.
     *
     * @param id the stored model's id, or {@code null} for the field's similarity
     * @param version the pinned version, or -1
     * @param type the model type, or the similarity's name
     */
    public record ScoredBy(String id, long version, String type) {}
}
