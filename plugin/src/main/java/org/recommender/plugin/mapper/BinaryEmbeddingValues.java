package org.recommender.plugin.mapper;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;

/** Reads embeddings stored as binary doc values ({@code index: false}: exact scoring only, no HNSW graph). */
final class BinaryEmbeddingValues implements EmbeddingValues {
    private final BinaryDocValues values;
    private final float[] vector;

    BinaryEmbeddingValues(BinaryDocValues values, int dims) {
        this.values = values;
        this.vector = new float[dims];
    }

    @Override
    public boolean advanceExact(int doc) throws IOException {
        return values.advanceExact(doc);
    }

    @Override
    public float[] vector() throws IOException {
        BytesRef bytes = values.binaryValue();
        EmbeddingBytes.decode(bytes.bytes, bytes.offset, vector);
        return vector;
    }
}
