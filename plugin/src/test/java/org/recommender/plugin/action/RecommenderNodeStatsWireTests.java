package org.recommender.plugin.action;

import org.opensearch.Version;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.core.common.Strings;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.recommender.core.compute.BackendReport;
import org.recommender.core.compute.ComputeDevice;
import org.recommender.core.scoring.Kernel;
import org.recommender.core.scoring.Placement;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/**
 * Node stats travel between nodes of different builds during a rolling upgrade, so their wire form is fixed: the
 * placement's kernel as the ordinal of its site (jvm 0, cpu 1, gpu 2) and the JVM batch kernel by name — the form
 * written before the {@link Kernel} enum existed — never {@link Kernel} ordinals.
 */
public class RecommenderNodeStatsWireTests extends OpenSearchTestCase {
    private static final BackendReport BACKEND = BackendReport.failed("no native library", 12);

    private static DiscoveryNode node() {
        return new DiscoveryNode("n1", buildNewFakeTransportAddress(), Version.CURRENT);
    }

    private static String json(RecommenderNodeStats stats) {
        return Strings.toString(MediaTypeRegistry.JSON, stats);
    }

    public void testEveryPlacementRoundTrips() throws IOException {
        for (Kernel jvm : new Kernel[] { Kernel.JAVA, Kernel.SIMD }) {
            for (Kernel kernel : new Kernel[] { jvm, Kernel.ND4J, Kernel.ND4J_GPU }) {
                Placement placement = new Placement(ComputeDevice.values()[kernel.ordinal() % ComputeDevice.values().length], kernel, "why", BACKEND);
                RecommenderNodeStats stats = new RecommenderNodeStats(node(), BACKEND, placement, Map.of("recommend_requests", 7L), jvm);
                BytesStreamOutput out = new BytesStreamOutput();
                stats.writeTo(out);
                RecommenderNodeStats read = new RecommenderNodeStats(out.bytes().streamInput());
                assertThat(json(read), equalTo(json(stats)));
            }
        }
    }

    public void testTheFormWrittenBeforeTheKernelEnumStillReads() throws IOException {
        BytesStreamOutput out = new BytesStreamOutput();
        node().writeTo(out);
        out.writeString(BACKEND.status());
        for (int i = 0; i < 5; i++) {
            out.writeOptionalString(null);
        }
        out.writeVInt(0);
        out.writeMap(Map.<String, String>of(), StreamOutput::writeString, StreamOutput::writeString);
        out.writeDouble(Double.NaN);
        out.writeVLong(12);
        out.writeOptionalString(BACKEND.error());
        out.writeEnum(ComputeDevice.GPU);
        out.writeVInt(2); // the old Placement.Kernel: JVM 0, CPU 1, GPU 2
        out.writeOptionalString(null);
        out.writeMap(Map.of("recommend_requests", 3L), StreamOutput::writeString, StreamOutput::writeLong);
        out.writeString("java-simd");
        StreamInput in = out.bytes().streamInput();
        RecommenderNodeStats read = new RecommenderNodeStats(in);
        String json = json(read);
        assertTrue(json, json.contains("\"batch_kernel\":\"gpu\""));
        assertTrue(json, json.contains("\"jvm_batch_kernel\":\"java-simd\""));
        assertThat(read.counters().get("recommend_requests"), equalTo(3L));
        assertThat(in.available(), equalTo(0));
    }
}
