package org.recommender.plugin.action;

import org.opensearch.action.ActionType;

/** Gathers every node's compute backend report and counters. */
public final class RecommenderStatsAction extends ActionType<RecommenderStatsResponse> {
    /** Action name, for the security plugin's permissions. */
    public static final String NAME = "cluster:monitor/recommender/stats";
    /** The singleton. */
    public static final RecommenderStatsAction INSTANCE = new RecommenderStatsAction();

    private RecommenderStatsAction() {
        super(NAME, RecommenderStatsResponse::new);
    }
}
