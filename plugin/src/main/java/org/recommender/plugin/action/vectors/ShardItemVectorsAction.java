package org.recommender.plugin.action.vectors;

import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.ActionType;
import org.opensearch.action.support.single.shard.SingleShardRequest;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;
import java.util.List;

/** The shard-level part of {@link ItemVectorsAction}: the ids one shard holds. */
public final class ShardItemVectorsAction extends ActionType<ItemVectorsAction.Response> {
    /** The action's name. */
    public static final String NAME = ItemVectorsAction.NAME + "[s]";
    /** The one instance. */
    public static final ShardItemVectorsAction INSTANCE = new ShardItemVectorsAction();

    private ShardItemVectorsAction() {
        super(NAME, ItemVectorsAction.Response::new);
    }

    /** Ids routed to one shard of one concrete index. */
    public static final class Request extends SingleShardRequest<Request> {
        final int shard;
        final String field;
        final List<String> ids;
        /** {@code _primary} for a segment-replicated index (its replicas lag, and the read is realtime), else {@code null} */
        final String preference;

        Request(String concreteIndex, int shard, String field, List<String> ids, String preference) {
            super(concreteIndex);
            this.shard = shard;
            this.field = field;
            this.ids = List.copyOf(ids);
            this.preference = preference;
        }

        Request(StreamInput in) throws IOException {
            super(in);
            this.shard = in.readVInt();
            this.field = in.readString();
            this.ids = in.readStringList();
            this.preference = in.readOptionalString();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeVInt(shard);
            out.writeString(field);
            out.writeStringCollection(ids);
            out.writeOptionalString(preference);
        }

        @Override
        public ActionRequestValidationException validate() {
            return validateNonNullIndex();
        }
    }
}
