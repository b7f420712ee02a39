package org.recommender.plugin.store;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;

import java.io.IOException;

/**
 * One exact stored model: its id, the store document's version and the bundle's checksum. A request pins a model
 * once, on the node that coordinates it, and every shard scores with exactly that model or fails with 409.
 *
 * <p>The checksum is part of the pin because a version alone does not name one bundle: a model deleted and uploaded
 * again can get a version it had before (OpenSearch forgets a deleted document's version after
 * {@code index.gc_deletes}), and another node's cache must not serve the old bundle for it.
 *
 * @param id the model id
 * @param version the store document's version
 * @param checksum the bundle's SHA-256, hex
 */
public record ModelPin(String id, long version, String checksum) implements Writeable {
    /** Reads a pin from the wire. */
    public ModelPin(StreamInput in) throws IOException {
        this(in.readString(), in.readLong(), in.readString());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(id);
        out.writeLong(version);
        out.writeString(checksum);
    }
}
