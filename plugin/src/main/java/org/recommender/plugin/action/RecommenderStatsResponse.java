package org.recommender.plugin.action;

import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/** Every asked node's {@link RecommenderNodeStats}, keyed by node id under {@code nodes}. */
public final class RecommenderStatsResponse extends BaseNodesResponse<RecommenderNodeStats> implements ToXContentFragment {
    /** Assembles the answers. */
    public RecommenderStatsResponse(ClusterName clusterName, List<RecommenderNodeStats> nodes, List<FailedNodeException> failures) {
        super(clusterName, nodes, failures);
    }

    /** Reads the response from the wire. */
    public RecommenderStatsResponse(StreamInput in) throws IOException {
        super(in);
    }

    @Override
    protected List<RecommenderNodeStats> readNodesFrom(StreamInput in) throws IOException {
        return in.readList(RecommenderNodeStats::new);
    }

    @Override
    protected void writeNodesTo(StreamOutput out, List<RecommenderNodeStats> nodes) throws IOException {
        out.writeList(nodes);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject("nodes");
        for (RecommenderNodeStats node : getNodes()) {
            node.toXContent(builder, params);
        }
        return builder.endObject();
    }
}
