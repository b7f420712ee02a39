package org.recommender.plugin.codec;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.recommender.plugin.mapper.HnswParameters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Chooses each vector field's format when a segment is written: an HNSW format with the field's own parameters for
 * {@code embedding} fields, Lucene's default HNSW format for any other vector field. One format instance per
 * parameter pair, so fields that share parameters share a writer.
 */
final class EmbeddingVectorsFormat extends PerFieldKnnVectorsFormat {
    private static final KnnVectorsFormat LUCENE_DEFAULT = new Lucene99HnswVectorsFormat();

    private final Function<String, HnswParameters> parametersOf;
    private final Map<HnswParameters, KnnVectorsFormat> formats = new ConcurrentHashMap<>();

    /** @param parametersOf a field's graph parameters, or {@code null} for a field that is not an {@code embedding} */
    EmbeddingVectorsFormat(Function<String, HnswParameters> parametersOf) {
        this.parametersOf = parametersOf;
    }

    @Override
    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        HnswParameters parameters = parametersOf.apply(field);
        if (parameters == null || parameters.equals(HnswParameters.DEFAULT)) {
            return LUCENE_DEFAULT;
        }
        return formats.computeIfAbsent(parameters, p -> new Lucene99HnswVectorsFormat(p.m(), p.efConstruction()));
    }
}
