package org.recommender.core.scoring;

import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;

/**
 * Copies heap {@code float[]}s into off-heap float buffers (and back). Each JavaCPP {@code FloatPointer.put} is a
 * native call with a fixed cost, so rows are gathered into a small heap chunk with {@code System.arraycopy} and put
 * once per chunk: the copy then costs about what {@code System.arraycopy} costs (NOTES-build.md) instead of one
 * native call per item. Offsets are in floats. The pointers passed in are used as cursors (their position is moved
 * and reset to 0), so they must be the caller's own objects.
 */
final class OffHeapRows {
    /** Floats per chunk: 64 KiB, small enough to stay in L2 next to the rows being read. */
    static final int CHUNK_FLOATS = 16 * 1024;

    private static final ThreadLocal<float[]> CHUNK = ThreadLocal.withInitial(() -> new float[CHUNK_FLOATS]);

    private OffHeapRows() {}

    /** Writes {@code rows[0..count)}, each {@code width} floats, one after the other from {@code offset}. */
    static void copy(float[][] rows, int count, int width, FloatPointer target, long offset) {
        float[] chunk = CHUNK.get();
        long position = offset;
        int filled = 0;
        try {
            for (int i = 0; i < count; i++) {
                if (filled + width > chunk.length) {
                    target.position(position).put(chunk, 0, filled);
                    position += filled;
                    filled = 0;
                }
                if (width > chunk.length) {
                    target.position(position).put(rows[i], 0, width);
                    position += width;
                } else {
                    System.arraycopy(rows[i], 0, chunk, filled, width);
                    filled += width;
                }
            }
            if (filled > 0) {
                target.position(position).put(chunk, 0, filled);
            }
        } finally {
            target.position(0);
        }
    }

    /** Writes {@code values} from {@code offset}. */
    static void copy(float[] values, FloatPointer target, long offset) {
        try {
            target.position(offset).put(values, 0, values.length);
        } finally {
            target.position(0);
        }
    }

    /** Sets {@code count} floats from {@code offset} to {@code value}. */
    static void fill(FloatPointer target, long offset, int count, float value) {
        float[] chunk = CHUNK.get();
        Arrays.fill(chunk, 0, Math.min(count, chunk.length), value);
        try {
            for (int done = 0; done < count;) {
                int n = Math.min(chunk.length, count - done);
                target.position(offset + done).put(chunk, 0, n);
                done += n;
            }
        } finally {
            target.position(0);
        }
    }

    /** Reads the first {@code count} floats of {@code source} into {@code out} from {@code outAt}. */
    static void read(FloatPointer source, float[] out, int outAt, int count) {
        source.position(0).get(out, outAt, count);
    }
}
