package org.recommender.plugin.mapper;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads embeddings stored as binary doc values, in one of two layouts: ours ({@code index: false}: exact scoring only,
 * no HNSW graph; little-endian float32, {@link EmbeddingBytes}) and the k-NN plugin's for a {@code knn_vector} field
 * without Lucene vectors (an index with {@code index.knn: false}: big-endian float32). A k-NN value of another length
 * (the Java-serialised form of old k-NN releases) is refused, never guessed at.
 */
final class BinaryEmbeddingValues implements EmbeddingValues {
    private static final VarHandle FLOAT_BE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    private final BinaryDocValues values;
    private final float[] vector;
    /** The knn_vector field's name when the layout is k-NN's, else {@code null}. */
    private final String knnField;

    private BinaryEmbeddingValues(BinaryDocValues values, int dims, String knnField) {
        this.values = values;
        this.vector = new float[dims];
        this.knnField = knnField;
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
        BytesRef bytes = values.binaryValue();
        if (knnField == null) {
            EmbeddingBytes.decode(bytes.bytes, bytes.offset, vector);
            return vector;
        }
        if (bytes.length != vector.length * Float.BYTES) {
            throw new IllegalArgumentException(
                "field [" + knnField + "] holds a knn_vector value of " + bytes.length + " bytes, not " + vector.length + " float32 values; "
                    + "this plugin reads only k-NN's float-array layout"
            );
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) FLOAT_BE.get(bytes.bytes, bytes.offset + i * Float.BYTES);
        }
        return vector;
    }
}
