package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The exact-scoring search the {@code recommend} command sends: a {@code script_score} over {@code match_all}
 * with the plugin's {@code recommender} script language, e.g.
 * <pre>{"query":{"script_score":{"query":{"match_all":{}},"script":{"lang":"recommender","source":"dot",
 *   "params":{"field":"embedding","vector":[…]}}}},"size":10,"_source":false}</pre>
 * {@code _source} is off because only ids and scores are shown; the hit's {@code _id} is the item id.
 *
 * With {@code source: model}, {@code params.model} names a stored model that scores each item (see
 * {@link #withModel}). Instead of a vector the user may be a user spec ({@code params.user}, e.g. a history and its
 * encoder), which the plugin resolves on the coordinating node ({@link #withModelUser}).
 *
 * @param field the item vector field
 * @param vector the user vector, or {@code null} when {@code user} is given
 * @param user a user spec for {@code params.user}, or {@code null} when {@code vector} is given
 * @param source the script: {@code dot}, {@code cosine} or {@code model}
 * @param size how many items to return
 * @param model the stored model id for {@code source: model}, else {@code null}
 */
public record ScriptScoreQuery(String field, float[] vector, ObjectNode user, String source, int size, String model) {
    /** A similarity script: {@code dot} or {@code cosine}. */
    public ScriptScoreQuery(String field, float[] vector, String source, int size) {
        this(field, vector, null, source, size, null);
    }

    /** @return the query that scores every item with the stored model {@code model} */
    public static ScriptScoreQuery withModel(String field, float[] vector, String model, int size) {
        return new ScriptScoreQuery(field, vector, null, "model", size, model);
    }

    /** @return the query that scores every item with the stored model {@code model} for the user spec {@code user} */
    public static ScriptScoreQuery withModelUser(String field, ObjectNode user, String model, int size) {
        return new ScriptScoreQuery(field, null, user, "model", size, model);
    }

    /** Validates the script name and size. */
    public ScriptScoreQuery {
        if ((vector == null) == (user == null)) {
            throw new IllegalArgumentException("a script query takes a vector or a user spec, exactly one");
        }
        if ((source.equals("model") && model != null) == false && (source.equals("dot") || source.equals("cosine")) == false) {
            throw new IllegalArgumentException("--source must be dot or cosine but was " + source);
        }
        if (size < 1 || size > 10_000) {
            throw new IllegalArgumentException("--k must be between 1 and 10000 but was " + size);
        }
    }

    /** @return the search request body */
    public ObjectNode toJson() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode scriptScore = body.putObject("query").putObject("script_score");
        scriptScore.putObject("query").putObject("match_all");
        ObjectNode script = scriptScore.putObject("script");
        script.put("lang", "recommender");
        script.put("source", source);
        ObjectNode params = script.putObject("params");
        params.put("field", field);
        if (model != null) {
            params.put("model", model);
        }
        if (user != null) {
            params.set("user", user);
        } else {
            ArrayNode v = params.putArray("vector");
            for (float x : vector) {
                v.add(x);
            }
        }
        body.put("size", size);
        body.put("_source", false);
        return body;
    }
}
