package org.recommender.plugin.mapper;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** The byte layout of an embedding in binary doc values: {@code dims} little-endian float32 values. */
final class EmbeddingBytes {
    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private EmbeddingBytes() {}

    static byte[] encode(float[] vector) {
        byte[] bytes = new byte[vector.length * Float.BYTES];
        for (int i = 0; i < vector.length; i++) {
            FLOAT_LE.set(bytes, i * Float.BYTES, vector[i]);
        }
        return bytes;
    }
}
