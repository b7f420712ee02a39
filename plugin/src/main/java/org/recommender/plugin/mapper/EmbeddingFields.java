package org.recommender.plugin.mapper;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.index.mapper.DocumentMapper;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperService;

import java.util.Map;

/**
 * Resolves a request's field name to the vectors every surface scores: an {@code embedding} field, or a k-NN
 * {@code knn_vector} field read the same way ({@link KnnVectorFields}) — the one resolver for the script engine, the
 * rescorer and {@code embedding_knn}.
 */
public final class EmbeddingFields {
    private EmbeddingFields() {}

    /**
     * knn_vector views by the field type they read, by identity (field types do not override equals); weak, so a
     * replaced mapping's types are dropped.
     */
    private static final Map<MappedFieldType, EmbeddingFieldType> VIEWS = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * @param param how the request names the field, e.g. {@code [field]} or {@code [params.field]}
     * @throws IllegalArgumentException when the field is missing, or is neither an {@code embedding} nor a readable
     *     {@code knn_vector}
     */
    public static EmbeddingFieldType require(MapperService mapperService, String field, String param) {
        MappedFieldType type = mapperService.fieldType(field);
        if (type == null) {
            throw new IllegalArgumentException(param + " field [" + field + "] does not exist in the mapping of [" + mapperService.index().getName() + "]");
        }
        if (type instanceof EmbeddingFieldType embedding) {
            return embedding;
        }
        if (KnnVectorFields.TYPE.equals(type.typeName())) {
            // a mapping's field types are immutable and replaced on every mapping change, so the view of one can be
            // kept for as long as it lives: no per-search, per-shard parse of the whole mapping
            EmbeddingFieldType cached = VIEWS.get(type);
            if (cached == null) {
                // by the field's own name: an alias resolves to its target's type, whose mapping and vectors are under that name
                cached = KnnVectorFields.view(
                    type.name(),
                    definition(mapperService, type.name()),
                    param,
                    mapperService.getIndexSettings().getSettings().getAsBoolean("index.knn", false)
                );
                VIEWS.put(type, cached);
            }
            return cached;
        }
        throw new IllegalArgumentException(
            param + " field [" + field + "] is of type [" + type.typeName() + "] but must be of type [embedding] or [knn_vector]"
        );
    }

    /** @return the field's mapping definition, read from the index's mapping (dots walk object properties) */
    private static Map<?, ?> definition(MapperService mapperService, String field) {
        DocumentMapper mapper = mapperService.documentMapper();
        Map<String, Object> root = XContentHelper.convertToMap(mapper.mappingSource().compressedReference(), true, MediaTypeRegistry.JSON).v2();
        Object properties = root.size() == 1 && root.values().iterator().next() instanceof Map<?, ?> typed ? typed.get("properties") : root.get("properties");
        Map<?, ?> definition = null;
        for (String part : field.split("\\.")) {
            definition = properties instanceof Map<?, ?> p && p.get(part) instanceof Map<?, ?> d ? d : null;
            properties = definition == null ? null : definition.get("properties");
        }
        if (definition == null) {
            throw new IllegalArgumentException("field [" + field + "] is not in the mapping's properties");
        }
        return definition;
    }
}
