package org.recommender.plugin.mapper;

import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * How an {@code embedding} field's HNSW graph is built: {@code m}, the links each vector keeps per layer (twice as
 * many on the bottom layer), and {@code ef_construction}, the candidates explored when a vector is inserted. Smaller
 * values build the graph faster and search it less accurately. They apply when the index uses the
 * {@code recommender} codec; Lucene's defaults otherwise.
 *
 * @param m links per vector and layer, 2–512
 * @param efConstruction insertion beam width, 2–3,200
 */
public record HnswParameters(int m, int efConstruction) {
    /** The name of the codec that builds graphs with these parameters ({@code codec/EmbeddingCodec} registers it). */
    public static final String CODEC = "recommender";

    /** Lucene's defaults: what every graph gets without the {@code recommender} codec. */
    public static final HnswParameters DEFAULT = new HnswParameters(
        Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN,
        Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH
    );

    /** Checks the bounds Lucene accepts, naming the mapping parameter. */
    public HnswParameters {
        if (m < 2 || m > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) {
            throw new IllegalArgumentException("[m] must be between 2 and " + Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN + " but was " + m);
        }
        if (efConstruction < 2 || efConstruction > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) {
            throw new IllegalArgumentException(
                "[ef_construction] must be between 2 and " + Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH + " but was " + efConstruction
            );
        }
    }
}
