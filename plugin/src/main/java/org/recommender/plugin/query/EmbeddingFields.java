package org.recommender.plugin.query;

import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.QueryShardContext;
import org.recommender.plugin.mapper.EmbeddingFieldType;

/** Resolves a request's field name to an {@code embedding} field of the shard's mapping, or says what is wrong. */
final class EmbeddingFields {
    private EmbeddingFields() {}

    /**
     * @param param how the request names the field, e.g. {@code [field]} or {@code [embedding_knn] field}
     * @throws IllegalArgumentException when the field is missing or not an {@code embedding}
     */
    static EmbeddingFieldType require(QueryShardContext context, String field, String param) {
        MappedFieldType type = context.fieldMapper(field);
        if (type == null) {
            throw new IllegalArgumentException(param + " field [" + field + "] does not exist in the mapping of [" + context.index().getName() + "]");
        }
        if (type instanceof EmbeddingFieldType == false) {
            throw new IllegalArgumentException(param + " field [" + field + "] is of type [" + type.typeName() + "] but must be of type [embedding]");
        }
        return (EmbeddingFieldType) type;
    }
}
