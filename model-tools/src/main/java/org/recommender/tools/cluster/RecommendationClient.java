package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks a cluster for a user's top items the way an application would with the plugin installed: read the user's
 * vector from the users index, then score the items index exactly with a {@link ScriptScoreQuery}.
 */
public final class RecommendationClient {
    private final OpenSearchConnection connection;

    /** @param connection the cluster */
    public RecommendationClient(OpenSearchConnection connection) {
        this.connection = connection;
    }

    /**
     * Reads {@code field} of document {@code id} in {@code index}.
     *
     * @throws ClusterException when the index or document does not exist, or the field is not a vector
     */
    public float[] userVector(String index, String id, String field) throws ClusterException {
        String path = "/" + OpenSearchConnection.encode(index) + "/_doc/" + OpenSearchConnection.encode(id);
        ClusterResponse response = connection.send("GET", path, Map.of("_source_includes", field), null, OpenSearchConnection.JSON);
        if (response.status() == 404) {
            String type = response.json().path("error").path("type").asText("");
            throw new ClusterException(
                type.equals("index_not_found_exception")
                    ? "index [" + index + "] does not exist; run `model-tools index` first or pass --users-index"
                    : "user [" + id + "] not found in index [" + index + "]"
            );
        }
        if (response.ok() == false) {
            throw new ClusterException("fetching user [" + id + "] from index [" + index + "] failed: " + response.errorSummary());
        }
        JsonNode values = response.json().path("_source").path(field);
        if (values.isArray() == false || values.isEmpty()) {
            throw new ClusterException("user [" + id + "] in index [" + index + "] has no vector in field [" + field + "]");
        }
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            if (values.get(i).isNumber() == false) {
                throw new ClusterException("user [" + id + "] field [" + field + "] element [" + i + "] is not a number");
            }
            vector[i] = values.get(i).floatValue();
        }
        return vector;
    }

    /**
     * Runs {@code query} on {@code index}.
     *
     * @return the hits, best first
     * @throws ClusterException when the search fails (e.g. the plugin is not installed)
     */
    public List<ScoredItem> search(String index, ScriptScoreQuery query) throws ClusterException {
        String path = "/" + OpenSearchConnection.encode(index) + "/_search";
        ClusterResponse response = connection.sendJsonNode("POST", path, query.toJson());
        if (response.ok() == false) {
            throw new ClusterException("search on index [" + index + "] failed with " + response.status() + ": " + response.errorSummary());
        }
        List<ScoredItem> items = new ArrayList<>();
        for (JsonNode hit : response.json().path("hits").path("hits")) {
            items.add(new ScoredItem(hit.path("_id").asText(), hit.path("_score").asDouble()));
        }
        return items;
    }
}
