package org.recommender.plugin.recommend;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;

import java.io.IOException;
import java.util.List;

/**
 * One user's answer.
 *
 * @param userId the user document's id when it was looked up, else {@code null}
 * @param strategy how the user was represented
 * @param items best first
 */
public record UserRanking(String userId, Strategy strategy, List<RankedItem> items) implements Writeable {
    /** Reads a user's answer from the wire. */
    public UserRanking(StreamInput in) throws IOException {
        this(in.readOptionalString(), in.readEnum(Strategy.class), in.readList(RankedItem::new));
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(userId);
        out.writeEnum(strategy);
        out.writeList(items);
    }
}
