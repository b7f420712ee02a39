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
import java.util.List;

/** Lists every stored model's current version, without bundle bytes. */
public final class ListModelsAction extends ActionType<ListModelsAction.Response> {
    /** Action name, for the security plugin's permissions. */
    public static final String NAME = "cluster:admin/recommender/model/list";
    /** The singleton. */
    public static final ListModelsAction INSTANCE = new ListModelsAction();

    private ListModelsAction() {
        super(NAME, Response::new);
    }

    /** Asks for the list; carries nothing. */
    public static final class Request extends ActionRequest {
        /** Builds a request. */
        public Request() {}

        /** Reads the request from the wire. */
        public Request(StreamInput in) throws IOException {
            super(in);
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }
    }

    /** The models, by id. */
    public static final class Response extends ActionResponse implements ToXContentObject {
        private final List<StoredModel> models;

        /** Builds a response. */
        public Response(List<StoredModel> models) {
            this.models = models;
        }

        /** Reads the response from the wire. */
        public Response(StreamInput in) throws IOException {
            super(in);
            this.models = in.readList(StoredModel::readFrom);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeList(models);
        }

        /** @return the models */
        public List<StoredModel> models() {
            return models;
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject().field("total", models.size()).startArray("models");
            for (StoredModel model : models) {
                model.toXContent(builder, params);
            }
            return builder.endArray().endObject();
        }
    }
}
