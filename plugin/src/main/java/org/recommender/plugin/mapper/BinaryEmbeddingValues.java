package org.recommender.plugin.mapper;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.nio.ByteOrder;

/**
 * Reads embeddings stored as binary doc values, in one of two layouts: ours ({@code index: false}: exact scoring only,
 * no HNSW graph; little-endian float32, {@link EmbeddingBytes}) and the k-NN plugin's for a {@code knn_vector} field
 * without Lucene vectors (an index with {@code index.knn: false}: big-endian float32). A k-NN value of another length
 * (the Java-serialised form of old k-NN releases) is refused, never guessed at.
 */
final class BinaryEmbeddingValues implements EmbeddingValues {
    private final BinaryDocValues values;
    private final float[] vector;
    /** The knn_vector field's name when the layout is k-NN's, else {@code null}. */
    private final String knnField;
    private final FloatDecoder decoder;

    private BinaryEmbeddingValues(BinaryDocValues values, int dims, String knnField) {
        this.values = values;
        this.vector = new float[dims];
        this.knnField = knnField;
        this.decoder = new FloatDecoder(knnField == null ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    }

    /** An {@code embedding} field's values. */
    BinaryEmbeddingValues(BinaryDocValues values, int dims) {
        this(values, dims, null);
    }

    /** A k-NN {@code knn_vector} field's values in k-NN's exact-search layout. */
    static BinaryEmbeddingValues knnLayout(BinaryDocValues values, String field, int dims) {
        return new BinaryEmbeddingValues(values, dims, field);
    }

    @Override
    public boolean advanceExact(int doc) throws IOException {
        return values.advanceExact(doc);
    }

    @Override
    public float[] vector() throws IOException {
        decodeInto(vector);
        return vector;
    }

    /** Decodes each document's bytes straight into its row: no per-document copy through {@link #vector()}. */
    @Override
    public int readBlock(int[] docs, int count, float[][] rows, int[] found) throws IOException {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (values.advanceExact(docs[i])) {
                decodeInto(rows[n]);
                found[n++] = i;
            }
        }
        return n;
    }

    private void decodeInto(float[] into) throws IOException {
        BytesRef bytes = values.binaryValue();
        if (knnField != null && bytes.length != into.length * Float.BYTES) {
            throw new IllegalArgumentException(
                "field [" + knnField + "] holds a knn_vector value of " + bytes.length + " bytes, not " + into.length + " float32 values; "
                    + "this plugin reads only k-NN's float-array layout"
            );
        }
        decoder.decode(bytes, into);
    }
}
