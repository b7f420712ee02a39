package org.recommender.plugin.action.model;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.ActionType;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/** Deletes a model (every version). */
public final class DeleteModelAction extends ActionType<DeleteModelAction.Response> {
    /** Action name, for the security plugin's permissions. */
    public static final String NAME = "cluster:admin/recommender/model/delete";
    /** The singleton. */
    public static final DeleteModelAction INSTANCE = new DeleteModelAction();

    private DeleteModelAction() {
        super(NAME, Response::new);
    }

    /** The id to delete. */
    public static final class Request extends ActionRequest {
        private final String id;

        /** Builds a request. */
        public Request(String id) {
            this.id = id;
        }

        /** Reads the request from the wire. */
        public Request(StreamInput in) throws IOException {
            super(in);
            this.id = in.readString();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(id);
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }

        /** @return the model id */
        public String id() {
            return id;
        }
    }

    /** The deleted id and the version of the delete. */
    public static final class Response extends ActionResponse implements ToXContentObject {
        private final String id;
        private final long version;

        /** Builds a response. */
        public Response(String id, long version) {
            this.id = id;
            this.version = version;
        }

        /** Reads the response from the wire. */
        public Response(StreamInput in) throws IOException {
            super(in);
            this.id = in.readString();
            this.version = in.readLong();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(id);
            out.writeLong(version);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            return builder.startObject().field("_id", id).field("_version", version).field("result", "deleted").endObject();
        }
    }
}
