package org.recommender.plugin.action.model;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.ActionType;
import org.opensearch.action.ValidateActions;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.recommender.plugin.store.ModelStoreService;
import org.recommender.plugin.store.StoredModel;

import java.io.IOException;
import java.util.List;

/** Lists the stored models' current versions a page at a time, by id, without bundle bytes or metadata. */
public final class ListModelsAction extends ActionType<ListModelsAction.Response> {
    /** Action name, for the security plugin's permissions. */
    public static final String NAME = "cluster:admin/recommender/model/list";
    /** The singleton. */
    public static final ListModelsAction INSTANCE = new ListModelsAction();

    private ListModelsAction() {
        super(NAME, Response::new);
    }

    /** Models on a page when {@code size} is not given. */
    public static final int DEFAULT_SIZE = 100;
    /** Most models on one page: a page holds a few KiB a model (no bundles, no metadata), so at most a few MiB. */
    public static final int MAX_SIZE = 1_000;
    /** Deepest page: {@code from + size} at most this, OpenSearch's default result window. */
    public static final int MAX_WINDOW = 10_000;

    /** Asks for one page of the list, by id: the {@code size} models after the first {@code from}. */
    public static final class Request extends ActionRequest {
        private final int from;
        private final int size;

        /** Builds a request for the page of {@code size} models after the first {@code from}. */
        public Request(int from, int size) {
            this.from = from;
            this.size = size;
        }

        /** Reads the request from the wire. */
        public Request(StreamInput in) throws IOException {
            super(in);
            this.from = in.readVInt();
            this.size = in.readVInt();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeVInt(from);
            out.writeVInt(size);
        }

        @Override
        public ActionRequestValidationException validate() {
            ActionRequestValidationException e = null;
            if (from < 0) {
                e = ValidateActions.addValidationError("[from] must be at least 0 but was " + from, e);
            }
            if (size < 0 || size > MAX_SIZE) {
                e = ValidateActions.addValidationError("[size] must be between 0 and " + MAX_SIZE + " but was " + size, e);
            }
            if (e == null && (long) from + size > MAX_WINDOW) {
                e = ValidateActions.addValidationError("[from] + [size] must be at most " + MAX_WINDOW + " but was " + ((long) from + size), e);
            }
            return e;
        }

        /** @return how many models, by id, come before the page */
        public int from() {
            return from;
        }

        /** @return most models on the page */
        public int size() {
            return size;
        }
    }

    /** One page of the models, by id, and how many models there are. */
    public static final class Response extends ActionResponse implements ToXContentObject {
        private final long total;
        private final List<StoredModel> models;

        /** Builds a response. */
        public Response(ModelStoreService.Page page) {
            this.total = page.total();
            this.models = page.models();
        }

        /** Reads the response from the wire. */
        public Response(StreamInput in) throws IOException {
            super(in);
            this.total = in.readVLong();
            this.models = in.readList(StoredModel::readFrom);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(total);
            out.writeList(models);
        }

        /** @return the models */
        public List<StoredModel> models() {
            return models;
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject().field("total", total).startArray("models");
            for (StoredModel model : models) {
                model.toXContent(builder, params);
            }
            return builder.endArray().endObject();
        }
    }
}
