package org.recommender.plugin.mapper;

import org.apache.lucene.util.BytesRef;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bulk decoder reads exactly the floats a per-value read would, in both byte orders (this plugin's little-endian
 * layout and the k-NN plugin's big-endian one), at offsets that are and are not multiples of 4, and when the reader
 * moves to another buffer.
 */
public class FloatDecoderTests extends OpenSearchTestCase {
    public void testEveryOrderAndOffsetDecodesTheStoredBits() {
        for (ByteOrder order : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN }) {
            FloatDecoder decoder = new FloatDecoder(order);
            for (int round = 0; round < 20; round++) {
                int dims = 1 + random().nextInt(40);
                int offset = random().nextInt(9); // unaligned as often as aligned
                float[] expected = new float[dims];
                ByteBuffer buffer = ByteBuffer.allocate(offset + 4 * dims + random().nextInt(8)).order(order);
                for (int i = 0; i < dims; i++) {
                    expected[i] = i % 7 == 0 ? Float.intBitsToFloat(random().nextInt()) : (float) random().nextGaussian();
                    if (Float.isNaN(expected[i])) {
                        expected[i] = -0f; // the field refuses NaN; keep the signed zero to see the bits survive
                    }
                    buffer.putFloat(offset + 4 * i, expected[i]);
                }
                float[] decoded = new float[dims];
                decoder.decode(new BytesRef(buffer.array(), offset, 4 * dims), decoded);
                for (int i = 0; i < dims; i++) {
                    assertEquals(order + " offset " + offset + " [" + i + "]", Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(decoded[i]));
                }
            }
        }
    }

    public void testTheSameArrayRewrittenIsReadAgain() {
        FloatDecoder decoder = new FloatDecoder(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer buffer = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putFloat(0, 1f).putFloat(4, 2f);
        float[] out = new float[2];
        decoder.decode(new BytesRef(buffer.array(), 0, 8), out);
        assertArrayEquals(new float[] { 1f, 2f }, out, 0f);
        // Lucene refills one buffer per segment: the next document's bytes land in the same array
        buffer.putFloat(8, 3f).putFloat(12, 4f);
        decoder.decode(new BytesRef(buffer.array(), 8, 8), out);
        assertArrayEquals(new float[] { 3f, 4f }, out, 0f);
        buffer.putFloat(0, 5f);
        decoder.decode(new BytesRef(buffer.array(), 0, 8), out);
        assertArrayEquals(new float[] { 5f, 2f }, out, 0f);
    }
}
