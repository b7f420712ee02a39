package org.recommender.plugin.codec;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.HnswParameters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Chooses each vector field's format when a segment is written: for {@code embedding} fields an HNSW format with the
 * field's own parameters, or the {@link FlatEmbeddingVectorsFormat} for a field mapped with {@code "graph": false};
 * Lucene's default HNSW format for any other vector field. One format instance per parameter pair, so fields that
 * share parameters share a writer.
 */
final class EmbeddingVectorsFormat extends PerFieldKnnVectorsFormat {
    private static final KnnVectorsFormat LUCENE_DEFAULT = new Lucene99HnswVectorsFormat();
    private static final KnnVectorsFormat FLAT = new FlatEmbeddingVectorsFormat();

    private final Function<String, EmbeddingFieldType> fieldOf;
    private final Map<HnswParameters, KnnVectorsFormat> formats = new ConcurrentHashMap<>();

    /** @param fieldOf a field's mapping, or {@code null} for a field that is not an {@code embedding} */
    EmbeddingVectorsFormat(Function<String, EmbeddingFieldType> fieldOf) {
        this.fieldOf = fieldOf;
    }

    @Override
    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        EmbeddingFieldType type = fieldOf.apply(field);
        if (type == null) {
            return LUCENE_DEFAULT;
        }
        HnswParameters parameters = type.hnsw();
        if (parameters == null) {
            return FLAT;
        }
        if (parameters.equals(HnswParameters.DEFAULT)) {
            return LUCENE_DEFAULT;
        }
        return formats.computeIfAbsent(parameters, p -> new Lucene99HnswVectorsFormat(p.m(), p.efConstruction()));
    }
}
