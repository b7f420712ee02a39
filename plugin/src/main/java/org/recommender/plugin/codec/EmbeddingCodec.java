package org.recommender.plugin.codec;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.opensearch.index.codec.CodecAliases;

import java.util.Set;

/**
 * The {@code recommender} codec ({@code "index.codec": "recommender"}): OpenSearch's default codec, except that each
 * {@code embedding} field's HNSW graph is built with the field's own {@code m} and {@code ef_construction}.
 *
 * <p>Only writing needs the mapping. Segments name their vector format per field, and Lucene reads them without
 * its parameters, so the instance Lucene creates by name to read a segment (the no-argument constructor) delegates to
 * Lucene's codec: every format the default codec writes is found by name again.
 */
public final class EmbeddingCodec extends FilterCodec implements CodecAliases {
    /** The codec's name in segments and in Lucene's codec registry. */
    public static final String NAME = "RecommenderEmbedding104";
    /** What {@code index.codec} is set to. */
    public static final String ALIAS = "recommender";

    private final KnnVectorsFormat vectors;

    /** For reading, by name: Lucene's codec with per-field vector formats found by name. */
    public EmbeddingCodec() {
        this(new Lucene104Codec(), new EmbeddingVectorsFormat(field -> null));
    }

    /**
     * @param delegate the index's default codec
     * @param vectors the per-field vector format that knows the mapping
     */
    EmbeddingCodec(Codec delegate, KnnVectorsFormat vectors) {
        super(NAME, delegate);
        this.vectors = vectors;
    }

    @Override
    public KnnVectorsFormat knnVectorsFormat() {
        return vectors;
    }

    @Override
    public Set<String> aliases() {
        return Set.of(ALIAS);
    }
}
