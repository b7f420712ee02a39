package org.recommender.plugin.action.model;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.ActionType;
import org.opensearch.action.ValidateActions;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.common.xcontent.StatusToXContentObject;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.recommender.plugin.store.ModelIds;
import org.recommender.plugin.store.StoredModel;

import java.io.IOException;

/** Stores a validated model bundle as the next version of a model id. */
public final class PutModelAction extends ActionType<PutModelAction.Response> {
    /** Action name, for the security plugin's permissions. */
    public static final String NAME = "cluster:admin/recommender/model/put";
    /** The singleton. */
    public static final PutModelAction INSTANCE = new PutModelAction();

    /**
     * Longest description accepted (characters): a description is free text shown by GET and by every page of the
     * model list, which must stay a few KiB a model (a 16,384-character string is at most 48 KiB as UTF-8).
     */
    public static final int MAX_DESCRIPTION_CHARS = 16_384;

    private PutModelAction() {
        super(NAME, Response::new);
    }

    /** The id, the bundle bytes and an optional description. */
    public static final class Request extends ActionRequest {
        private final String id;
        private final BytesReference bundle;
        private final String description;

        /** Builds a request. */
        public Request(String id, BytesReference bundle, String description) {
            this.id = id;
            this.bundle = bundle;
            this.description = description;
        }

        /** Reads the request from the wire. */
        public Request(StreamInput in) throws IOException {
            super(in);
            this.id = in.readString();
            this.bundle = in.readBytesReference();
            this.description = in.readOptionalString();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(id);
            out.writeBytesReference(bundle);
            out.writeOptionalString(description);
        }

        @Override
        public ActionRequestValidationException validate() {
            // the form of the request; the bundle's content is the store's to check, as it compiles it
            ActionRequestValidationException e = null;
            try {
                ModelIds.check(id);
            } catch (IllegalArgumentException invalid) {
                e = ValidateActions.addValidationError(invalid.getMessage(), e);
            }
            if (bundle == null || bundle.length() == 0) {
                e = ValidateActions.addValidationError("[bundle] is required", e);
            }
            if (description != null && description.length() > MAX_DESCRIPTION_CHARS) {
                e = ValidateActions.addValidationError(
                    "[description] must be at most " + MAX_DESCRIPTION_CHARS + " characters but has " + description.length(),
                    e
                );
            }
            return e;
        }

        /** @return the model id */
        public String id() {
            return id;
        }

        /** @return the bundle bytes */
        public BytesReference bundle() {
            return bundle;
        }

        /** @return the description, or null */
        public String description() {
            return description;
        }
    }

    /** The stored model and whether this write created it. */
    public static final class Response extends ActionResponse implements StatusToXContentObject {
        private final StoredModel model;
        private final boolean created;

        /** Builds a response. */
        public Response(StoredModel model, boolean created) {
            this.model = model;
            this.created = created;
        }

        /** Reads the response from the wire. */
        public Response(StreamInput in) throws IOException {
            super(in);
            this.model = StoredModel.readFrom(in);
            this.created = in.readBoolean();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            model.writeTo(out);
            out.writeBoolean(created);
        }

        /** @return the stored model */
        public StoredModel model() {
            return model;
        }

        /** @return true for a new model id, false for a new version */
        public boolean created() {
            return created;
        }

        @Override
        public RestStatus status() {
            return created ? RestStatus.CREATED : RestStatus.OK;
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject();
            builder.field("_id", model.id());
            builder.field("_version", model.version());
            builder.field("result", created ? "created" : "updated");
            builder.field("model");
            model.toXContent(builder, params);
            return builder.endObject();
        }
    }
}
