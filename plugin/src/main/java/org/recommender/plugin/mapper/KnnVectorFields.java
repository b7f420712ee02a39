package org.recommender.plugin.mapper;

import org.recommender.core.vector.VectorSimilarity;

import java.util.Map;

/**
 * Reads the k-NN plugin's {@code knn_vector} fields as item and user vectors, from their mapping alone (no compile-time
 * tie to the k-NN plugin): the dimension ({@code dimension}), the similarity (its {@code space_type}, top-level or
 * under {@code method}) and the element type, which must be {@code float}. The vectors themselves are read through
 * Lucene, as for an indexed {@code embedding} field; a segment whose vectors Lucene cannot see (a format only the k-NN
 * plugin reads) is refused with a 400 when it is met.
 */
public final class KnnVectorFields {
    /** The k-NN plugin's field type name. */
    public static final String TYPE = "knn_vector";

    private KnnVectorFields() {}

    /**
     * @param name the field path
     * @param definition the field's mapping ({@code dimension}, {@code space_type}, {@code method}, {@code data_type})
     * @param param how the request names the field, for messages
     * @param knnIndex the index's {@code index.knn} setting: only where it is on does a field's engine build a graph
     * @return a read-only {@code embedding} view of the field, approximate only where Lucene's graph search can search
     *     it — the {@code lucene} engine in an {@code index.knn} index; the k-NN plugin's native engines (faiss, its
     *     default, and nmslib) keep graphs only their own reader searches (Lucene's search there is a 500 from the
     *     k-NN plugin, or no hits), and an index without {@code index.knn} keeps no graph at all, so those scan exactly
     * @throws IllegalArgumentException naming the field when its vectors are not float or its space has no
     *     counterpart here
     */
    public static EmbeddingFieldType view(String name, Map<?, ?> definition, String param, boolean knnIndex) {
        Object dataType = definition.get("data_type");
        if (dataType != null && "float".equals(dataType) == false) {
            throw new IllegalArgumentException(param + " field [" + name + "] is a knn_vector of [" + dataType + "] elements; only float vectors can be read");
        }
        if (definition.get("dimension") instanceof Number == false) {
            throw new IllegalArgumentException(param + " field [" + name + "] is a knn_vector without a [dimension] (a model-based field); it cannot be read");
        }
        int dims = ((Number) definition.get("dimension")).intValue();
        boolean luceneGraph = knnIndex && definition.get("method") instanceof Map<?, ?> method && "lucene".equals(method.get("engine"));
        return EmbeddingFieldType.foreign(name, dims, similarity(name, spaceType(definition), param), TYPE, luceneGraph);
    }

    /** @return the field's space type: top-level, else under {@code method}, else k-NN's default {@code l2} */
    private static String spaceType(Map<?, ?> definition) {
        if (definition.get("space_type") instanceof String top) {
            return top;
        }
        if (definition.get("method") instanceof Map<?, ?> method && method.get("space_type") instanceof String inMethod) {
            return inMethod;
        }
        return "l2";
    }

    private static VectorSimilarity similarity(String name, String spaceType, String param) {
        return switch (spaceType) {
            case "innerproduct" -> VectorSimilarity.DOT_PRODUCT;
            case "cosinesimil" -> VectorSimilarity.COSINE;
            case "l2" -> VectorSimilarity.L2;
            default -> throw new IllegalArgumentException(
                param + " field [" + name + "] is a knn_vector in space [" + spaceType + "]; readable spaces are [innerproduct, cosinesimil, l2]"
            );
        };
    }
}
