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

    /**
     * Reads the embeddings of a block of documents at once, for scoring them together (exact top-k). Positions on
     * each document as {@link #advanceExact} would; the default copies each {@link #vector()} into its row, and a
     * layout that can decode straight into the rows does so.
     *
     * @param docs segment-local ids, increasing, the first not smaller than the last position
     * @param count how many of {@code docs} to read
     * @param rows receives the vectors, each row as long as the field's dimension: {@code rows[n]} for the
     *     {@code n}-th of the documents that has one
     * @param found receives, at {@code found[n]}, the index into {@code docs} of the document in {@code rows[n]}
     * @return how many of the documents have an embedding (the rows filled)
     */
    default int readBlock(int[] docs, int count, float[][] rows, int[] found) throws IOException {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (advanceExact(docs[i])) {
                float[] vector = vector();
                System.arraycopy(vector, 0, rows[n], 0, vector.length);
                found[n++] = i;
            }
        }
        return n;
    }

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
