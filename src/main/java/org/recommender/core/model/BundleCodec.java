package org.recommender.core.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The binary framing of a model bundle (byte layout in {@code docs/model-format.md}):
 * <pre>
 *   magic (8) | format_version u32 | header_length u32 | total_length u64 | header JSON | blocks… | SHA-256 (32)
 * </pre>
 * where each weight block is a u32 float count followed by that many float32s, all little-endian. Reading checks
 * every declared length against the bytes actually present before using it, so no input — truncated, random or
 * hostile — can make it allocate more than the input's own size or index out of bounds.
 */
final class BundleCodec {
    /** {@code \x89 R E C M O D \n}: a non-ASCII first byte and a newline catch text-mode transfers, as PNG's does. */
    static final byte[] MAGIC = { (byte) 0x89, 'R', 'E', 'C', 'M', 'O', 'D', '\n' };
    /** The only format version this code reads and writes. */
    static final int FORMAT_VERSION = 1;
    /** Bytes before the header: magic, version, header length, total length. */
    static final int PREAMBLE_BYTES = 24;
    /** Bytes of the trailing SHA-256. */
    static final int CHECKSUM_BYTES = 32;
    /** The largest header accepted; real headers are a few hundred bytes, metadata included. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** Writers pad the header with spaces so that weight blocks start at a multiple of this offset. */
    static final int ALIGNMENT = 8;

    private static final HexFormat HEX = HexFormat.of();

    private BundleCodec() {}

    /**
     * Where the parts of a checked bundle lie.
     *
     * @param headerOffset first byte of the header JSON
     * @param headerLength bytes of header JSON (padding spaces included)
     * @param weightsOffset first byte of the first weight block
     * @param weightsEnd one past the last byte of the last weight block (where the checksum starts)
     * @param checksum the stored SHA-256, lower-case hex
     */
    record Frame(int headerOffset, int headerLength, int weightsOffset, int weightsEnd, String checksum) {}

    /**
     * Checks magic, version, lengths and checksum.
     *
     * @throws InvalidModelException naming the first field that is wrong
     */
    static Frame readFrame(byte[] bytes) {
        int prefix = Math.min(bytes.length, MAGIC.length);
        if (Arrays.equals(bytes, 0, prefix, MAGIC, 0, prefix) == false || bytes.length == 0) {
            throw new InvalidModelException(
                "magic: not a model bundle; it must start with the bytes " + hex(MAGIC, MAGIC.length) + " but starts with "
                    + (bytes.length == 0 ? "nothing (0 bytes)" : hex(bytes, prefix))
            );
        }
        int minimum = PREAMBLE_BYTES + 2 + CHECKSUM_BYTES; // "{}" is the shortest possible header
        if (bytes.length < minimum) {
            throw new InvalidModelException(
                "bundle: truncated; " + bytes.length + " bytes is less than the " + minimum + " even an empty model needs"
            );
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long version = Integer.toUnsignedLong(in.getInt(8));
        if (version != FORMAT_VERSION) {
            throw new InvalidModelException("format_version: " + version + " is not supported; this version reads format " + FORMAT_VERSION);
        }
        long headerLength = Integer.toUnsignedLong(in.getInt(12));
        long totalLength = in.getLong(16);
        if (totalLength != bytes.length) {
            throw new InvalidModelException(
                Long.compareUnsigned(totalLength, bytes.length) > 0
                    ? "total_length: the bundle declares " + Long.toUnsignedString(totalLength) + " bytes but has only " + bytes.length + "; it was truncated"
                    : "total_length: the bundle declares " + totalLength + " bytes but has " + bytes.length + ": "
                        + (bytes.length - totalLength) + " trailing bytes after the checksum"
            );
        }
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > bytes.length - PREAMBLE_BYTES - CHECKSUM_BYTES) {
            throw new InvalidModelException(
                "header_length: " + headerLength + " is not between 2 and " + Math.min(MAX_HEADER_BYTES, bytes.length - PREAMBLE_BYTES - CHECKSUM_BYTES)
                    + " (the header limit, or the bytes between the preamble and the checksum)"
            );
        }
        int weightsEnd = bytes.length - CHECKSUM_BYTES;
        byte[] computed = sha256(bytes, weightsEnd);
        if (Arrays.equals(computed, 0, CHECKSUM_BYTES, bytes, weightsEnd, bytes.length) == false) {
            throw new InvalidModelException(
                "checksum: the bundle stores SHA-256 " + HEX.formatHex(bytes, weightsEnd, bytes.length) + " but its content hashes to "
                    + HEX.formatHex(computed) + "; the bundle is corrupt"
            );
        }
        return new Frame(
            PREAMBLE_BYTES,
            (int) headerLength,
            PREAMBLE_BYTES + (int) headerLength,
            weightsEnd,
            HEX.formatHex(bytes, weightsEnd, bytes.length)
        );
    }

    /**
     * Reads the weight blocks a header calls for.
     *
     * @param specs the blocks expected, in order
     * @return one array per spec
     * @throws InvalidModelException naming the block whose length is wrong, which is missing, or which holds a
     *     non-finite value; or when bytes are left over
     */
    static List<float[]> readBlocks(byte[] bytes, Frame frame, List<BlockSpec> specs) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int position = frame.weightsOffset();
        int end = frame.weightsEnd();
        List<float[]> blocks = new ArrayList<>(specs.size());
        String previous = "the header";
        for (BlockSpec spec : specs) {
            if (end - position < Integer.BYTES) {
                throw new InvalidModelException(spec.name() + ": missing; the weights end after " + previous);
            }
            long count = Integer.toUnsignedLong(in.getInt(position));
            position += Integer.BYTES;
            if (count != spec.floats()) {
                throw new InvalidModelException(spec.name() + ": expected " + spec.shape() + " floats but the bundle has " + count);
            }
            if (count * Float.BYTES > end - position) {
                throw new InvalidModelException(
                    spec.name() + ": holds " + count + " floats but only " + (end - position) + " bytes are left before the checksum"
                );
            }
            float[] values = new float[(int) count];
            FloatBuffer floats = in.slice(position, (int) count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            floats.get(values);
            for (int i = 0; i < values.length; i++) {
                if (Float.isFinite(values[i]) == false) {
                    throw new InvalidModelException(
                        spec.name() + ": element " + spec.position(i) + " is " + values[i] + "; weights must be finite"
                    );
                }
            }
            position += (int) count * Float.BYTES;
            blocks.add(values);
            previous = spec.name();
        }
        if (position != end) {
            throw new InvalidModelException(
                "weights: " + (end - position) + " trailing bytes after the last block (" + previous + ") and before the checksum"
            );
        }
        return blocks;
    }

    /**
     * Encodes a bundle. Does not validate: {@link ModelBundle} parses what this writes.
     *
     * @param header the header JSON, UTF-8
     * @param blocks the weight blocks, in order
     */
    static byte[] write(byte[] header, List<float[]> blocks) {
        int padding = (ALIGNMENT - (PREAMBLE_BYTES + header.length) % ALIGNMENT) % ALIGNMENT;
        long total = PREAMBLE_BYTES + header.length + padding + CHECKSUM_BYTES;
        for (float[] block : blocks) {
            total += Integer.BYTES + (long) Float.BYTES * block.length;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new InvalidModelException("bundle: " + total + " bytes is more than one byte array can hold");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(FORMAT_VERSION).putInt(header.length + padding).putLong(total).put(header);
        for (int i = 0; i < padding; i++) {
            out.put((byte) ' '); // JSON whitespace: readers need not know about alignment
        }
        for (float[] block : blocks) {
            out.putInt(block.length);
            out.asFloatBuffer().put(block);
            out.position(out.position() + Float.BYTES * block.length);
        }
        byte[] bytes = out.array();
        out.put(sha256(bytes, out.position()));
        return bytes;
    }

    static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private static String hex(byte[] bytes, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(i == 0 ? "" : " ").append(HEX.toHexDigits(bytes[i]).toUpperCase(java.util.Locale.ROOT));
        }
        return s.toString();
    }
}
