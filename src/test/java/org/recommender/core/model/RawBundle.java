package org.recommender.core.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * An encoder written from docs/model-format.md alone (not from BundleCodec), so that tests check the spec and can
 * write deliberately broken bundles: any version, any block lengths, extra bytes.
 */
final class RawBundle {
    static final byte[] MAGIC = { (byte) 0x89, 'R', 'E', 'C', 'M', 'O', 'D', '\n' };

    private RawBundle() {}

    static byte[] encode(String header, List<float[]> blocks) {
        return encode(1, header, blocks);
    }

    static byte[] encode(int version, String header, List<float[]> blocks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (float[] block : blocks) {
            ByteBuffer b = ByteBuffer.allocate(4 + 4 * block.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(block.length);
            for (float f : block) {
                b.putFloat(f);
            }
            body.writeBytes(b.array());
        }
        return assemble(version, header.getBytes(StandardCharsets.UTF_8), body.toByteArray());
    }

    /** Preamble + header + raw weight bytes + checksum, with a correct total length. */
    static byte[] assemble(int version, byte[] header, byte[] weights) {
        int total = 24 + header.length + weights.length + 32;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(version).putInt(header.length).putLong(total).put(header).put(weights);
        byte[] bytes = b.array();
        System.arraycopy(sha256(bytes, total - 32), 0, bytes, total - 32, 32);
        return bytes;
    }

    /** Recomputes the checksum after a test edited the bytes. */
    static byte[] reseal(byte[] bytes) {
        byte[] copy = bytes.clone();
        System.arraycopy(sha256(copy, copy.length - 32), 0, copy, copy.length - 32, 32);
        return copy;
    }

    static byte[] sha256(byte[] bytes, int length) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, length));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
