package org.recommender.plugin.action;

import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;

import java.io.IOException;

/** Asks the given nodes (all when none are named) for their recommender stats. */
public final class RecommenderStatsRequest extends BaseNodesRequest<RecommenderStatsRequest> {
    /** @param nodeIds node ids or names; empty means every node */
    public RecommenderStatsRequest(String... nodeIds) {
        super(nodeIds);
    }

    /** Reads the request from the wire. */
    public RecommenderStatsRequest(StreamInput in) throws IOException {
        super(in);
    }
}
