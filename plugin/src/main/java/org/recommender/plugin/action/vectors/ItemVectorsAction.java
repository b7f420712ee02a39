package org.recommender.plugin.action.vectors;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.ActionType;
import org.opensearch.action.IndicesRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;
import java.util.List;

/**
 * Reads items' vectors by id, realtime, from the field's Lucene values instead of each document's {@code _source}:
 * the history and example items of user specs ({@code query/UserLookup}). Loading and filtering a source costs about
 * 90 µs per document; finding a document and reading its vector from Lucene, a few (docs/benchmarks.md, "Users
 * encoded in the cluster"). Internal: no REST handler; an index read, checked like a multi-get.
 */
public final class ItemVectorsAction extends ActionType<ItemVectorsAction.Response> {
    /** The action's name: an index read, so index permissions apply as for a get. */
    public static final String NAME = "indices:data/read/recommender/item_vectors";
    /** The one instance. */
    public static final ItemVectorsAction INSTANCE = new ItemVectorsAction();

    private ItemVectorsAction() {
        super(NAME, Response::new);
    }

    /** Ids of one index (or an alias of one index) and the vector field to read for each. */
    public static final class Request extends ActionRequest implements IndicesRequest {
        private final String index;
        private final String field;
        private final List<String> ids;

        /**
         * @param index an index, or an alias naming one
         * @param field the vector field (a dotted path)
         * @param ids the documents, each at most once
         */
        public Request(String index, String field, List<String> ids) {
            this.index = index;
            this.field = field;
            this.ids = List.copyOf(ids);
        }

        /** Reads the request from the wire. */
        public Request(StreamInput in) throws IOException {
            super(in);
            this.index = in.readString();
            this.field = in.readString();
            this.ids = in.readStringList();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(index);
            out.writeString(field);
            out.writeStringCollection(ids);
        }

        /** @return the field to read */
        public String field() {
            return field;
        }

        /** @return the documents' ids */
        public List<String> ids() {
            return ids;
        }

        @Override
        public String[] indices() {
            return new String[] { index };
        }

        @Override
        public IndicesOptions indicesOptions() {
            return IndicesOptions.strictSingleIndexNoExpandForbidClosed(); // as a get names its index
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }
    }

    /**
     * The vectors, in the request's id order.
     */
    public static final class Response extends ActionResponse {
        private final boolean lucene;
        private final float[][] vectors;

        /**
         * @param lucene whether the field is one whose vectors Lucene holds ({@code embedding}, readable
         *     {@code knn_vector}); when not, nothing was read and the caller reads {@code _source}
         * @param vectors one per requested id: {@code null} when the document does not exist or has no vector
         */
        public Response(boolean lucene, float[][] vectors) {
            this.lucene = lucene;
            this.vectors = vectors;
        }

        Response(StreamInput in) throws IOException {
            super(in);
            this.lucene = in.readBoolean();
            this.vectors = new float[in.readVInt()][];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = in.readBoolean() ? in.readFloatArray() : null;
            }
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeBoolean(lucene);
            out.writeVInt(vectors.length);
            for (float[] v : vectors) {
                out.writeBoolean(v != null);
                if (v != null) {
                    out.writeFloatArray(v);
                }
            }
        }

        /** @return whether the vectors were read from Lucene (else the field holds none there: read {@code _source}) */
        public boolean lucene() {
            return lucene;
        }

        /** @return one vector per requested id, {@code null} where there is none */
        public float[][] vectors() {
            return vectors;
        }
    }
}
