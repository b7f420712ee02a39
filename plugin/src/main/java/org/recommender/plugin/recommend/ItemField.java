package org.recommender.plugin.recommend;

import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.metadata.Metadata;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.mapper.EmbeddingFieldMapper;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.KnnVectorFields;

import java.util.Map;

/**
 * The items' {@code embedding} (or k-NN {@code knn_vector}) field as every target index maps it, read from the cluster state on the coordinating
 * node so a request naming a missing or non-embedding field is refused before any search runs.
 *
 * @param dims the field's dimension
 * @param similarity how the field compares vectors (ranks items when no model is given)
 */
record ItemField(int dims, VectorSimilarity similarity) {
    /**
     * @param concreteIndices the request's indices, aliases and patterns resolved
     * @param path the field, dots for objects
     * @throws IllegalArgumentException naming the field and index when it is missing, not an embedding, or mapped
     *     differently in two indices
     */
    static ItemField resolve(Metadata metadata, String[] concreteIndices, String path) {
        ItemField found = null;
        for (String index : concreteIndices) {
            IndexMetadata indexMetadata = metadata.index(index);
            MappingMetadata mapping = indexMetadata == null ? null : indexMetadata.mapping();
            Map<String, Object> root = mapping == null ? null : asMap(mapping.sourceAsMap().get("properties"));
            Map<String, Object> definition = definition(root, path);
            if (definition != null && "alias".equals(definition.get("type")) && definition.get("path") instanceof String target) {
                definition = definition(root, target); // an alias is read as the field it points to, as searches read it
            }
            if (definition == null) {
                throw new IllegalArgumentException("[field] [" + path + "] does not exist in the mapping of index [" + index + "]");
            }
            Object type = definition.getOrDefault("type", "object");
            ItemField field;
            if (EmbeddingFieldMapper.CONTENT_TYPE.equals(type)) {
                field = new ItemField(
                    ((Number) definition.get("dims")).intValue(),
                    VectorSimilarity.fromName(String.valueOf(definition.getOrDefault("similarity", "dot_product")))
                );
            } else if (KnnVectorFields.TYPE.equals(type)) {
                EmbeddingFieldType view = KnnVectorFields.view(path, definition, "[field]", false); // dims and similarity only
                field = new ItemField(view.dims(), view.similarity());
            } else {
                throw new IllegalArgumentException(
                    "[field] [" + path + "] is of type [" + type + "] in index [" + index + "] but must be of type [embedding] or [knn_vector]"
                );
            }
            if (found != null && found.equals(field) == false) {
                throw new IllegalArgumentException("[field] [" + path + "] is mapped differently across the target indices: " + found + " and " + field);
            }
            found = field;
        }
        if (found == null) {
            throw new IllegalArgumentException("the request matches no index");
        }
        return found;
    }

    /** @return the mapping of {@code path} under {@code properties} (dots walk objects), or {@code null} */
    private static Map<String, Object> definition(Map<String, Object> properties, String path) {
        Map<String, Object> definition = null;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length && properties != null; i++) {
            definition = asMap(properties.get(parts[i]));
            properties = i < parts.length - 1 && definition != null ? asMap(definition.get("properties")) : null;
        }
        return definition;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
