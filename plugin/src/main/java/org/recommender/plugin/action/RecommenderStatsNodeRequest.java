package org.recommender.plugin.action;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.transport.TransportRequest;

import java.io.IOException;

/** The per-node half of {@link RecommenderStatsRequest}; carries nothing but the asking. */
public final class RecommenderStatsNodeRequest extends TransportRequest {
    /** An empty request. */
    public RecommenderStatsNodeRequest() {}

    /** Reads the request from the wire. */
    public RecommenderStatsNodeRequest(StreamInput in) throws IOException {
        super(in);
    }
}
