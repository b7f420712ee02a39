package org.recommender.plugin.store;

import org.opensearch.Version;
import org.opensearch.action.search.SearchPhaseExecutionException;
import org.opensearch.action.search.ShardSearchFailure;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.test.OpenSearchTestCase;
import org.opensearch.transport.NodeNotConnectedException;

/** Which failures {@code _recommend} runs again: a node that left, however deep in the cause chain it is reported. */
public class ClusterChurnTests extends OpenSearchTestCase {
    public void testASearchPhaseThatLostItsNodeIsTransient() {
        DiscoveryNode gone = new DiscoveryNode("node_t1", buildNewFakeTransportAddress(), Version.CURRENT);
        // what a fetch phase on a node that just left reports (seen in CI as a 500 with no failed shards)
        SearchPhaseExecutionException fetch = new SearchPhaseExecutionException(
            "fetch",
            "",
            new NodeNotConnectedException(gone, "Node not connected"),
            ShardSearchFailure.EMPTY_ARRAY
        );
        assertTrue(ClusterChurn.isTransient(fetch));
        assertTrue(ClusterChurn.isTransient(new NodeNotConnectedException(gone, "Node not connected")));
    }

    public void testABadRequestIsNot() {
        assertFalse(ClusterChurn.isTransient(new IllegalArgumentException("[k] must be positive")));
        assertFalse(ClusterChurn.isTransient(
            new SearchPhaseExecutionException("query", "", new IllegalArgumentException("bad"), ShardSearchFailure.EMPTY_ARRAY)
        ));
    }
}
