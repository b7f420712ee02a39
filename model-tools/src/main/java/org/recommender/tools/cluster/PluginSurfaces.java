package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.recommender.core.vector.VectorSimilarity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Asks the plugin for one user's top items through each of its ranking surfaces, with a stored model, and returns
 * the items with the model's raw scores, so they can be compared with scores computed offline:
 * <ul>
 *   <li>{@link Surface#ENDPOINT}: {@code POST /{items}/_recommend} with exact kNN candidates, or, where the user
 *       vector cannot search the field (a Mult-DAE user, one dimension short of the items, whose last is the item
 *       bias), the best of a {@code match_all} query;</li>
 *   <li>{@link Surface#RESCORER}: a {@code match_all} search whose window is re-scored by the {@code recommender}
 *       rescorer with {@code score_mode: replace};</li>
 *   <li>{@link Surface#SCRIPT}: {@code script_score} with {@code lang: recommender, source: model}, whose positive
 *       score transform is undone here.</li>
 * </ul>
 *
 * @param connection the cluster
 * @param usersIndex the index holding user vectors
 * @param itemsIndex the index holding item vectors
 * @param field the vector field in both
 * @param model the stored model id
 * @param knnCandidates whether the endpoint finds candidates by exact kNN on the field (else {@code match_all})
 */
public record PluginSurfaces(OpenSearchConnection connection, String usersIndex, String itemsIndex, String field, String model,
    boolean knnCandidates) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A way of ranking items for a user through the plugin. */
    public enum Surface {
        /** The {@code _recommend} endpoint. */
        ENDPOINT,
        /** The {@code recommender} rescorer. */
        RESCORER,
        /** The {@code recommender} script with {@code source: model}. */
        SCRIPT;

        /** @return the name used on the command line and in reports */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param surface which surface
     * @param user the user id (the endpoint and the rescorer look the user up themselves)
     * @param vector the user's vector as stored, for the script, which takes it inline
     * @param k how many items
     * @param window how many items are considered: the endpoint's {@code num_candidates}, the rescorer's
     *     {@code window_size}; the script scores every item
     * @return the items, best first, with raw model scores
     * @throws ClusterException when the request fails
     */
    public List<ScoredItem> rank(Surface surface, String user, float[] vector, int k, int window) throws ClusterException {
        if (surface == Surface.SCRIPT) {
            return script(ScriptScoreQuery.withModel(field, vector, model, k));
        }
        return rank(surface, userSpec().put("id", user), "user [" + user + "]", k, window);
    }

    /** @return the script's hits with raw model scores (its positive transform undone) */
    private List<ScoredItem> script(ScriptScoreQuery query) throws ClusterException {
        List<ScoredItem> items = new ArrayList<>();
        for (ScoredItem item : new RecommendationClient(connection).search(itemsIndex, query)) {
            items.add(new ScoredItem(item.id(), VectorSimilarity.DOT_PRODUCT.fromScore(item.score()))); // the script's transform
        }
        return items;
    }

    /**
     * Ranks for a user made of a history by a stored user encoder, on any surface (the script takes the history as
     * {@code params.user}).
     *
     * @param history item ids, oldest first, read from the items index
     * @param historyField the items' field the encoder reads history vectors from
     * @param encoder the stored user encoder's model id
     * @param name how messages name the user
     * @return the items, best first, with raw model scores
     * @throws ClusterException when the request fails
     */
    public List<ScoredItem> rankHistory(Surface surface, List<String> history, String historyField, String encoder, String name, int k, int window)
        throws ClusterException {
        ObjectNode spec = JSON.createObjectNode();
        history.forEach(spec.putArray("history")::add);
        spec.put("index", itemsIndex).put("field", historyField).put("encoder", encoder);
        if (surface == Surface.SCRIPT) {
            return script(ScriptScoreQuery.withModelUser(field, spec, model, k));
        }
        return rank(surface, spec, name, k, window);
    }

    private List<ScoredItem> rank(Surface surface, ObjectNode user, String name, int k, int window) throws ClusterException {
        ObjectNode body = surface == Surface.ENDPOINT ? endpoint(user, k, window) : rescorer(user, k, window);
        String path = "/" + OpenSearchConnection.encode(itemsIndex) + (surface == Surface.ENDPOINT ? "/_recommend" : "/_search");
        ClusterResponse response = connection.sendJsonNode("POST", path, body);
        if (response.ok() == false) {
            throw new ClusterException(surface.label() + " request for " + name + " failed with " + response.status() + ": "
                + response.errorSummary());
        }
        JsonNode hits = surface == Surface.ENDPOINT ? response.json().path("items") : response.json().path("hits").path("hits");
        List<ScoredItem> items = new ArrayList<>();
        for (JsonNode hit : hits) {
            items.add(new ScoredItem(hit.path("_id").asText(), hit.path("_score").asDouble()));
        }
        return items;
    }

    private ObjectNode userSpec() {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("index", usersIndex);
        spec.put("field", field);
        return spec;
    }

    private ObjectNode endpoint(ObjectNode user, int k, int candidates) {
        ObjectNode body = JSON.createObjectNode();
        body.put("field", field);
        body.set("user", user);
        body.put("k", k);
        body.put("model", model);
        if (knnCandidates) {
            body.putObject("candidates").putObject("knn").put("num_candidates", Math.max(k, candidates)).put("exact", true);
        } else {
            ObjectNode query = body.putObject("candidates");
            query.putObject("query").putObject("match_all");
            query.put("num_candidates", Math.max(k, candidates));
        }
        body.put("_source", false);
        return body;
    }

    private ObjectNode rescorer(ObjectNode user, int k, int window) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", k);
        body.put("_source", false);
        body.putObject("query").putObject("match_all");
        ObjectNode rescore = body.putObject("rescore");
        rescore.put("window_size", Math.max(k, window));
        ObjectNode recommender = rescore.putObject("recommender");
        recommender.set("user", user);
        recommender.put("field", field);
        recommender.put("model", model);
        recommender.put("score_mode", "replace");
        return body;
    }
}
