package org.recommender.plugin.action.recommend;

import org.opensearch.action.ActionType;

/** Recommends items of one or more indices for one or many users: {@code POST /{index}/_recommend}. */
public final class RecommendAction extends ActionType<RecommendResponse> {
    /** Action name: an index read, so index-level permissions and aliases apply as for a search. */
    public static final String NAME = "indices:data/read/recommend";
    /** The singleton. */
    public static final RecommendAction INSTANCE = new RecommendAction();

    private RecommendAction() {
        super(NAME, RecommendResponse::new);
    }
}
