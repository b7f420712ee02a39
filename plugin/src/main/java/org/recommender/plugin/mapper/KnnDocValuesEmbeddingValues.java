package org.recommender.plugin.mapper;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the binary doc values the k-NN plugin writes for a {@code knn_vector} field that has no Lucene vectors (an
 * index with {@code index.knn: false}, k-NN's layout for exact search): each value is the vector as big-endian float32.
 * A value of another length (the Java-serialised form of old k-NN releases) is refused, never guessed at.
 */
final class KnnDocValuesEmbeddingValues implements EmbeddingValues {
    private static final VarHandle FLOAT_BE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    private final BinaryDocValues values;
    private final String field;
    private final float[] vector;

    KnnDocValuesEmbeddingValues(BinaryDocValues values, String field, int dims) {
        this.values = values;
        this.field = field;
        this.vector = new float[dims];
    }

    @Override
    public boolean advanceExact(int doc) throws IOException {
        return values.advanceExact(doc);
    }

    @Override
    public float[] vector() throws IOException {
        BytesRef bytes = values.binaryValue();
        if (bytes.length != vector.length * Float.BYTES) {
            throw new IllegalArgumentException(
                "field [" + field + "] holds a knn_vector value of " + bytes.length + " bytes, not " + vector.length + " float32 values; "
                    + "this plugin reads only k-NN's float-array layout"
            );
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) FLOAT_BE.get(bytes.bytes, bytes.offset + i * Float.BYTES);
        }
        return vector;
    }
}
