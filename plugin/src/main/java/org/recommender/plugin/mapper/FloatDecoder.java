package org.recommender.plugin.mapper;

import org.apache.lucene.util.BytesRef;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Decodes float32 values of one byte order out of doc-values {@link BytesRef}s into a caller's array with one bulk
 * copy, allocating nothing per value once it has seen the reader's buffer. Lucene's binary doc values hand out the
 * same {@code byte[]} for every document of a segment, so a float view over it is built once and reused; a value at
 * an offset that is not a multiple of 4 (or in another array) falls back to a per-element read. The bits are copied
 * unchanged: the result is the same float array either way.
 */
final class FloatDecoder {
    private final ByteOrder order;
    private final VarHandle element;
    private byte[] viewed;
    private FloatBuffer view;

    FloatDecoder(ByteOrder order) {
        this.order = order;
        this.element = MethodHandles.byteArrayViewVarHandle(float[].class, order);
    }

    /**
     * @param bytes at least {@code into.length * 4} bytes
     * @param into receives {@code into.length} floats
     */
    void decode(BytesRef bytes, float[] into) {
        if ((bytes.offset & 3) == 0) {
            if (bytes.bytes != viewed) {
                viewed = bytes.bytes;
                view = ByteBuffer.wrap(viewed).order(order).asFloatBuffer();
            }
            view.get(bytes.offset >> 2, into, 0, into.length);
            return;
        }
        for (int i = 0; i < into.length; i++) {
            into[i] = (float) element.get(bytes.bytes, bytes.offset + i * Float.BYTES);
        }
    }
}
