package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Makes sure an index exists with a vector field of the right dimension before documents are sent: creates it
 * from an {@link IndexMapping} when missing, and refuses an existing index whose field has another dimension
 * (every document would be rejected). Optionally deletes and recreates it, so that items of an older model do not
 * linger beside the new ones.
 */
public final class IndexPreparer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchConnection connection;

    /** @param connection the cluster */
    public IndexPreparer(OpenSearchConnection connection) {
        this.connection = connection;
    }

    /** What {@link #prepare} did. */
    public enum Outcome {
        /** The index did not exist and was created. */
        CREATED,
        /** The index existed, was deleted and created again. */
        RECREATED,
        /** The index existed with a matching field and was kept. */
        EXISTING
    }

    /**
     * @param index the index name
     * @param mapping the create-index body to use when creating
     * @param field the vector field
     * @param dims the dimension of the vectors about to be indexed
     * @param recreate delete the index first if it exists
     * @throws ClusterException when the cluster refuses, or an existing index declares another dimension
     */
    public Outcome prepare(String index, IndexMapping mapping, String field, int dims, boolean recreate) throws IOException {
        String path = "/" + OpenSearchConnection.encode(index);
        boolean exists = exists(path, index);
        if (exists && recreate) {
            ClusterResponse deleted = connection.sendJson("DELETE", path, null);
            if (deleted.ok() == false) {
                throw new ClusterException("deleting index [" + index + "] failed: " + deleted.errorSummary());
            }
        } else if (exists) {
            ClusterResponse response = connection.sendJson("GET", path + "/_mapping", null);
            if (response.ok() == false) {
                throw new ClusterException("reading the mapping of index [" + index + "] failed: " + response.errorSummary());
            }
            OptionalInt declared = IndexMapping.declaredDims(response.json(), field);
            if (declared.isPresent() && declared.getAsInt() != dims) {
                throw new ClusterException(
                    "index [" + index + "] maps [" + field + "] with " + declared.getAsInt() + " dims but the embeddings have " + dims
                        + "; pass --recreate to replace the index, or choose another index name"
                );
            }
            return Outcome.EXISTING;
        }
        byte[] body = JSON.writeValueAsBytes(mapping.withDims(field, dims));
        ClusterResponse created = connection.sendJson("PUT", path, body);
        if (created.ok() == false) {
            String error = created.errorSummary();
            String hint = error.contains("[embedding]") && error.contains("No handler for type")
                ? " (is the recommender plugin installed on every node?)"
                : "";
            throw new ClusterException("creating index [" + index + "] from " + mapping.source() + " failed: " + error + hint);
        }
        return exists ? Outcome.RECREATED : Outcome.CREATED;
    }

    /**
     * @return the UUID of {@code index} (the UUIDs of the indices it resolves to, when it is an alias), which change
     *     when an index of that name is deleted and created again; empty when the cluster does not say (a user
     *     without the right to read index settings), so that such a user can still index and resume
     */
    public Optional<String> uuid(String index) throws IOException {
        ClusterResponse response = connection.sendJson("GET", "/" + OpenSearchConnection.encode(index) + "/_settings/index.uuid", null);
        if (response.ok() == false) {
            return Optional.empty();
        }
        TreeSet<String> uuids = new TreeSet<>();
        response.json().elements().forEachRemaining(concrete -> {
            String uuid = concrete.path("settings").path("index").path("uuid").asText("");
            if (uuid.isEmpty() == false) {
                uuids.add(uuid);
            }
        });
        return uuids.isEmpty() ? Optional.empty() : Optional.of(String.join(",", uuids));
    }

    /**
     * Adds {@code field} as {@code keyword} to the mapping of an existing index that does not map it yet (an index
     * created before, without it), so that it does not get a dynamic {@code text} mapping. A field already mapped
     * is left as it is.
     *
     * @return whether the field was added
     * @throws ClusterException when the cluster refuses
     */
    public boolean addKeywordIfMissing(String index, String field) throws IOException {
        return addIfMissing(index, field, IndexMapping.keyword(), mapped -> {});
    }

    /**
     * Adds {@code field} as a history vector field ({@link IndexMapping#historyEmbedding}) to the mapping of an
     * existing index that does not map it yet, so that its vectors do not get a dynamic {@code float} mapping; a field
     * already mapped must have {@code dims} dimensions.
     *
     * @return whether the field was added
     * @throws ClusterException when the cluster refuses, or the index maps the field with another dimension or none
     */
    public boolean addEmbeddingIfMissing(String index, String field, int dims) throws IOException {
        return addIfMissing(index, field, IndexMapping.historyEmbedding(dims), mapping -> {
            OptionalInt declared = IndexMapping.declaredDims(mapping, field);
            if (declared.isEmpty() || declared.getAsInt() != dims) {
                throw new ClusterException("index [" + index + "] maps [" + field + "] as " + IndexMapping.fieldMapping(mapping, field)
                    + " but the history vectors have " + dims + " dims; pass --recreate to replace the index, or choose another --history-field");
            }
        });
    }

    /** What an index's existing mapping of a field must satisfy, given the whole {@code GET _mapping} response. */
    private interface MappedCheck {
        void check(JsonNode mapping) throws ClusterException;
    }

    private boolean addIfMissing(String index, String field, ObjectNode fieldMapping, MappedCheck whenMapped) throws IOException {
        String path = "/" + OpenSearchConnection.encode(index) + "/_mapping";
        ClusterResponse response = connection.sendJson("GET", path, null);
        if (response.ok() == false) {
            throw new ClusterException("reading the mapping of index [" + index + "] failed: " + response.errorSummary());
        }
        for (JsonNode mapping : response.json()) {
            if (mapping.path("mappings").path("properties").has(field)) {
                whenMapped.check(response.json());
                return false;
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties").set(field, fieldMapping);
        ClusterResponse put = connection.sendJson("PUT", path, JSON.writeValueAsBytes(body));
        if (put.ok() == false) {
            throw new ClusterException("adding [" + field + "] to the mapping of index [" + index + "] failed: " + put.errorSummary());
        }
        return true;
    }

    private boolean exists(String path, String index) throws ClusterException {
        ClusterResponse head = connection.sendJson("HEAD", path, null);
        if (head.status() == 200) {
            return true;
        }
        if (head.status() == 404) {
            return false;
        }
        throw new ClusterException("checking whether index [" + index + "] exists failed with " + head.status() + ": " + head.errorSummary());
    }
}
