package org.recommender.plugin.action;

import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;
import org.recommender.core.compute.BackendReport;
import org.recommender.core.compute.ComputeDevice;
import org.recommender.core.scoring.Kernel;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.core.scoring.Placement;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** One node's stats: the compute backend it actually loaded and its counters. */
public final class RecommenderNodeStats extends BaseNodeResponse implements ToXContentFragment {
    private final BackendReport backend;
    private final Placement placement;
    private final Map<String, Long> counters;
    private final Kernel jvmBatchKernel;

    /**
     * @param node the reporting node
     * @param backend what the native backend turned out to be
     * @param placement where batched scoring runs given the requested device, and why if not as asked
     * @param counters request and error counters
     * @param jvmBatchKernel the kernel neural batches use on the node's JVM ({@link KernelProvider#jvmBatchKernel()})
     */
    public RecommenderNodeStats(DiscoveryNode node, BackendReport backend, Placement placement, Map<String, Long> counters, Kernel jvmBatchKernel) {
        super(node);
        this.jvmBatchKernel = jvmBatchKernel;
        this.backend = backend;
        this.placement = placement;
        this.counters = counters;
    }

    /** Reads the stats from the wire. */
    public RecommenderNodeStats(StreamInput in) throws IOException {
        super(in);
        this.backend = new BackendReport(
            in.readString(),
            in.readOptionalString(),
            in.readOptionalString(),
            in.readOptionalString(),
            in.readOptionalString(),
            in.readOptionalString(),
            in.readVInt(),
            in.readMap(StreamInput::readString, StreamInput::readString),
            in.readDouble(),
            in.readVLong(),
            in.readOptionalString()
        );
        ComputeDevice requested = in.readEnum(ComputeDevice.class);
        int site = in.readVInt();
        String fallback = in.readOptionalString();
        this.counters = in.readMap(StreamInput::readString, StreamInput::readLong);
        this.jvmBatchKernel = kernelNamed(in.readString());
        this.placement = new Placement(requested, siteKernel(site, jvmBatchKernel), fallback, backend);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(backend.status());
        out.writeOptionalString(backend.backendClass());
        out.writeOptionalString(backend.device());
        out.writeOptionalString(backend.blasVendor());
        out.writeOptionalString(backend.binaryLevel());
        out.writeOptionalString(backend.cpuLevel());
        out.writeVInt(backend.threads());
        out.writeMap(backend.nativeLibraries(), StreamOutput::writeString, StreamOutput::writeString);
        out.writeDouble(backend.probeMaxAbsError());
        out.writeVLong(backend.loadMillis());
        out.writeOptionalString(backend.error());
        out.writeEnum(placement.requested());
        out.writeVInt(SITES.indexOf(placement.kernel().site()));
        out.writeOptionalString(placement.fallback());
        out.writeMap(counters, StreamOutput::writeString, StreamOutput::writeLong);
        out.writeString(jvmBatchKernel.externalName());
    }

    /*
     * The wire form predates the Kernel enum and stays as it was, so nodes built before and after it answer each
     * other's stats requests: the placement's kernel travels as the ordinal of its site (jvm, cpu, gpu) and the JVM
     * batch kernel by its external name. Enum ordinals of Kernel never go on the wire.
     */
    private static final List<String> SITES = List.of("jvm", "cpu", "gpu");

    private static Kernel siteKernel(int site, Kernel jvmKernel) throws IOException {
        return switch (site) {
            case 0 -> jvmKernel;
            case 1 -> Kernel.ND4J;
            case 2 -> Kernel.ND4J_GPU;
            default -> throw new IOException("unknown batch kernel site [" + site + "] in node stats");
        };
    }

    private static Kernel kernelNamed(String name) throws IOException {
        for (Kernel kernel : Kernel.values()) {
            if (kernel.externalName().equals(name)) {
                return kernel;
            }
        }
        throw new IOException("unknown JVM batch kernel [" + name + "] in node stats");
    }

    /** @return the node's backend report */
    public BackendReport backend() {
        return backend;
    }

    /** @return the node's counters by name */
    public Map<String, Long> counters() {
        return counters;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(getNode().getId());
        builder.field("name", getNode().getName());
        builder.startObject("compute");
        builder.field("status", backend.status());
        if (backend.ready()) {
            builder.field("backend", backend.backendClass());
            builder.field("device", backend.device());
            builder.field("blas_vendor", backend.blasVendor());
            builder.field("binary_level", backend.binaryLevel());
            builder.field("cpu_level", backend.cpuLevel());
            builder.field("threads", backend.threads());
            builder.field("native_libraries", backend.libraryNames());
            builder.field("probe_max_abs_error", backend.probeMaxAbsError());
        }
        if (backend.error() != null) {
            builder.field("error", backend.error());
        }
        builder.field("load_millis", backend.loadMillis());
        builder.field("device_requested", placement.requested().externalName());
        builder.field("batch_kernel", placement.kernel().site());
        builder.field("jvm_batch_kernel", jvmBatchKernel.externalName());
        if (placement.fallback() != null) {
            builder.field("fallback", placement.fallback());
        }
        builder.endObject();
        builder.field("counters", counters);
        return builder.endObject();
    }
}
