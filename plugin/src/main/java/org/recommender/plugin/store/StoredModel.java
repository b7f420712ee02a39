package org.recommender.plugin.store;

import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.recommender.core.model.BundleBase64;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A model as the store holds it: its id, the version OpenSearch assigned to the last write, what the bundle
 * declares, and (only when asked for) the bundle bytes themselves.
 *
 * @param id the model id
 * @param version bumped by every write
 * @param type the model type declared by the bundle ({@code dot}, {@code cosine}, {@code mlp}, {@code neumf}; user encoders {@code sasrec}, {@code gru4rec}, {@code multdae})
 * @param userDims user vector dimension the model expects
 * @param itemDims item vector dimension the model expects
 * @param checksum the bundle's SHA-256
 * @param sizeInBytes bundle size
 * @param description free text given at upload
 * @param metadata the bundle header's metadata, or {@code null} where it was left out (the model list)
 * @param updatedAtMillis when the version was written
 * @param bundle the bundle bytes, or {@code null} when not requested
 */
public record StoredModel(
    String id,
    long version,
    String type,
    int userDims,
    int itemDims,
    String checksum,
    long sizeInBytes,
    String description,
    Map<String, Object> metadata,
    long updatedAtMillis,
    BytesReference bundle
) implements Writeable, ToXContentObject {

    /** @return this model as stored at {@code storedVersion} */
    public StoredModel withVersion(long storedVersion) {
        return new StoredModel(id, storedVersion, type, userDims, itemDims, checksum, sizeInBytes, description, metadata, updatedAtMillis, bundle);
    }

    /** Reads a model from the wire. */
    public static StoredModel readFrom(StreamInput in) throws IOException {
        return new StoredModel(
            in.readString(),
            in.readLong(),
            in.readString(),
            in.readVInt(),
            in.readVInt(),
            in.readString(),
            in.readVLong(),
            in.readOptionalString(),
            in.readBoolean() ? in.readMap() : null,
            in.readLong(),
            in.readOptionalBytesReference()
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(id);
        out.writeLong(version);
        out.writeString(type);
        out.writeVInt(userDims);
        out.writeVInt(itemDims);
        out.writeString(checksum);
        out.writeVLong(sizeInBytes);
        out.writeOptionalString(description);
        out.writeBoolean(metadata != null);
        if (metadata != null) {
            out.writeMap(metadata);
        }
        out.writeLong(updatedAtMillis);
        out.writeOptionalBytesReference(bundle);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("_id", id);
        builder.field("_version", version);
        builder.field("type", type);
        builder.field("user_dims", userDims);
        builder.field("item_dims", itemDims);
        builder.field("checksum", checksum);
        builder.field("size_in_bytes", sizeInBytes);
        if (description != null) {
            builder.field("description", description);
        }
        if (metadata != null) {
            builder.field("metadata", metadata);
        }
        builder.field("updated_at", Instant.ofEpochMilli(updatedAtMillis).toString());
        if (bundle != null) {
            // one base64 string while it fits a chunk (as before), else an array of chunks: see BundleBase64
            List<String> chunks = BundleBase64.encode(BytesReference.toBytes(bundle));
            if (chunks.size() == 1) {
                builder.field("bundle", chunks.get(0));
            } else {
                builder.field("bundle", chunks);
            }
        }
        return builder.endObject();
    }
}
