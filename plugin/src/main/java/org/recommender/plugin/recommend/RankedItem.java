package org.recommender.plugin.recommend;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;

import java.io.IOException;
import java.util.Map;

/**
 * One recommended item.
 *
 * @param source the item's {@code _source} as the request asked for it, or {@code null}
 * @param explanation how it was scored and ranked, or {@code null} when not asked
 */
public record RankedItem(String index, String id, float score, Map<String, Object> source, Map<String, Object> explanation) implements Writeable {
    /** Reads an item from the wire. */
    public RankedItem(StreamInput in) throws IOException {
        this(in.readString(), in.readString(), in.readFloat(), in.readBoolean() ? in.readMap() : null, in.readBoolean() ? in.readMap() : null);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(index);
        out.writeString(id);
        out.writeFloat(score);
        out.writeBoolean(source != null);
        if (source != null) {
            out.writeMap(source);
        }
        out.writeBoolean(explanation != null);
        if (explanation != null) {
            out.writeMap(explanation);
        }
    }

    /** @return the key naming this item across indices */
    ItemKey key() {
        return new ItemKey(index, id);
    }

    /** @return this item with {@code newSource} */
    RankedItem withSource(Map<String, Object> newSource) {
        return new RankedItem(index, id, score, newSource, explanation);
    }
}
