package org.recommender.plugin.query;

import org.opensearch.common.xcontent.support.XContentMapValues;
import org.recommender.core.vector.EmbeddingValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads vectors and id lists out of documents' {@code _source} (dotted paths walk objects), with messages that say
 * which document is wrong: the one reader of stored user and history vectors for every surface.
 */
public final class VectorSource {
    private VectorSource() {}

    /**
     * @param path a field path, dots for objects
     * @return the field's vector, or {@code null} when the document has none
     * @throws IllegalArgumentException when the value is not a finite numeric array
     */
    public static float[] vector(Map<String, Object> source, String path, String what) {
        Object value = source == null ? null : XContentMapValues.extractValue(path, source);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(what + " field [" + path + "] is not an array of numbers");
        }
        if (list.isEmpty()) {
            return null; // [] is no value, as OpenSearch indexes it: the user has no vector (cold start, fallback)
        }
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (list.get(i) instanceof Number n) {
                out[i] = n.floatValue();
            } else {
                throw new IllegalArgumentException(what + " field [" + path + "] element [" + i + "] is not a number");
            }
        }
        EmbeddingValidator.checkElements(path, out);
        return out;
    }

    /**
     * @param values a hit's values of a vector field (the {@code fields} option), or {@code null}: an {@code embedding}
     *     field's are validated when indexed, a {@code knn_vector}'s come from the k-NN plugin as it stored them, so
     *     both are checked here as any vector read from a document is
     * @param index the hit's index, {@code id} its id and {@code field} the field: they name the item in an error only,
     *     so that a ranking of many candidates builds no message per candidate
     * @return the vector, or {@code null} when the hit has none
     * @throws IllegalArgumentException naming the item and the element that is not a number, or is not finite or too large
     */
    public static float[] vector(List<Object> values, String index, String id, String field) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() == 1 && values.get(0) instanceof float[] array) {
            // the candidate searches' own form (one array per hit), checked as any vector but not copied
            check(array, index, id, field);
            return array;
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            if (values.get(i) instanceof Number n) {
                out[i] = n.floatValue();
            } else {
                throw new IllegalArgumentException(item(index, id, field) + " element [" + i + "] is not a number");
            }
        }
        check(out, index, id, field);
        return out;
    }

    private static void check(float[] vector, String index, String id, String field) {
        try {
            EmbeddingValidator.checkElements(field, vector);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(item(index, id, field) + ": " + e.getMessage(), e);
        }
    }

    private static String item(String index, String id, String field) {
        return "item [" + id + "] in index [" + index + "] field [" + field + "]";
    }

    /** @return the field's values as strings: an array, a single value, or empty when absent */
    public static List<String> ids(Map<String, Object> source, String path) {
        Object value = source == null || path == null ? null : XContentMapValues.extractValue(path, source);
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                addId(out, o);
            }
        } else {
            addId(out, value);
        }
        return out;
    }

    /**
     * Keeps a stored id that can name a document: {@code null} and empty ids name none (OpenSearch refuses an empty
     * id in any query), so a stored list holding one is read without it rather than failing every shard.
     */
    private static void addId(List<String> out, Object value) {
        if (value != null && String.valueOf(value).isEmpty() == false) {
            out.add(String.valueOf(value));
        }
    }
}
