package org.recommender.plugin.action.model;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.ActionType;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.recommender.plugin.store.StoredModel;

import java.io.IOException;

/** Reads the current version of one model. */
public final class GetModelAction extends ActionType<GetModelAction.Response> {
    /** Action name, for the security plugin's permissions. */
    public static final String NAME = "cluster:admin/recommender/model/get";
    /** The singleton. */
    public static final GetModelAction INSTANCE = new GetModelAction();

    private GetModelAction() {
        super(NAME, Response::new);
    }

    /** The id, and whether the bundle bytes should come back too. */
    public static final class Request extends ActionRequest {
        private final String id;
        private final boolean includeBundle;

        /** Builds a request. */
        public Request(String id, boolean includeBundle) {
            this.id = id;
            this.includeBundle = includeBundle;
        }

        /** Reads the request from the wire. */
        public Request(StreamInput in) throws IOException {
            super(in);
            this.id = in.readString();
            this.includeBundle = in.readBoolean();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(id);
            out.writeBoolean(includeBundle);
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }

        /** @return the model id */
        public String id() {
            return id;
        }

        /** @return whether to include the bundle bytes */
        public boolean includeBundle() {
            return includeBundle;
        }
    }

    /** One stored model. */
    public static final class Response extends ActionResponse implements ToXContentObject {
        private final StoredModel model;

        /** Builds a response. */
        public Response(StoredModel model) {
            this.model = model;
        }

        /** Reads the response from the wire. */
        public Response(StreamInput in) throws IOException {
            super(in);
            this.model = StoredModel.readFrom(in);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            model.writeTo(out);
        }

        /** @return the model */
        public StoredModel model() {
            return model;
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            return model.toXContent(builder, params);
        }
    }
}
