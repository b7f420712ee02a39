package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import org.recommender.core.model.BundleBase64;
import java.util.Map;
import java.util.Optional;

/** The recommender plugin's model store over HTTP ({@code /_plugins/_recommender/models/{id}}): store and read models. */
public final class ModelStoreClient {
    private final OpenSearchConnection connection;

    /** A stored model as the store reports it. */
    public record StoredModel(long version, String checksum, byte[] bundle) {}

    /** @param connection the cluster */
    public ModelStoreClient(OpenSearchConnection connection) {
        this.connection = connection;
    }

    /**
     * Stores {@code bundle} as the next version of {@code id}.
     *
     * @param description free text stored with the version, or {@code null}
     * @return the version the store assigned
     * @throws ClusterException when the store refuses it (the status and the store's reason in the message)
     */
    public long put(String id, byte[] bundle, String description) throws ClusterException {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        List<String> chunks = BundleBase64.encode(bundle);
        if (chunks.size() == 1) {
            body.put("bundle", chunks.get(0)); // what every version of the plugin reads
        } else {
            chunks.forEach(body.putArray("bundle")::add); // larger than one JSON string may be: chunks
        }
        if (description != null) {
            body.put("description", description);
        }
        ClusterResponse put = connection.sendJsonNode("PUT", path(id), body);
        if (put.ok() == false) {
            throw new ClusterException("the model store refused model [" + id + "]: " + put.status() + " " + put.errorSummary());
        }
        return put.json().path("_version").asLong();
    }

    /**
     * Reads model {@code id}.
     *
     * @param withBundle whether to fetch the bundle's bytes too ({@link StoredModel#bundle()} is {@code null} otherwise)
     * @return the model, or empty when the store has no model with that id
     * @throws ClusterException when the read fails for another reason
     */
    public Optional<StoredModel> get(String id, boolean withBundle) throws ClusterException {
        Map<String, String> query = withBundle ? Map.of("include_bundle", "true") : Map.of();
        ClusterResponse get = connection.send("GET", path(id), query, null, null);
        if (get.status() == 404) {
            return Optional.empty();
        }
        if (get.ok() == false) {
            throw new ClusterException("reading model [" + id + "] failed with " + get.status() + ": " + get.errorSummary());
        }
        JsonNode stored = get.json();
        byte[] bundle = null;
        if (withBundle) {
            JsonNode field = stored.path("bundle");
            List<String> chunks = new ArrayList<>();
            field.forEach(chunk -> chunks.add(chunk.asText()));
            bundle = BundleBase64.decode(field.isArray() ? chunks : field.asText(), "bundle");
        }
        return Optional.of(new StoredModel(stored.path("_version").asLong(), stored.path("checksum").asText(), bundle));
    }

    private static String path(String id) {
        return "/_plugins/_recommender/models/" + OpenSearchConnection.encode(id);
    }
}
