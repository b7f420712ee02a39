package org.recommender.plugin.mapper;

import java.io.IOException;

/**
 * Forward-only access to the embeddings of one segment, in increasing document order — the shape scripts and
 * rescorers read them in.
 */
public interface EmbeddingValues {
    /**
     * Positions on {@code doc}.
     *
     * @param doc a segment-local document id, not smaller than the previous call's
     * @return whether {@code doc} has an embedding
     */
    boolean advanceExact(int doc) throws IOException;

    /**
     * @return the embedding of the document of the last successful {@link #advanceExact}; the array may be reused
     *     by the next call and must not be modified
     */
    float[] vector() throws IOException;

    /** Values of a segment in which no document has the field. */
    EmbeddingValues EMPTY = new EmbeddingValues() {
        @Override
        public boolean advanceExact(int doc) {
            return false;
        }

        @Override
        public float[] vector() {
            throw new IllegalStateException("no embedding in this segment");
        }
    };
}
