package org.recommender.core.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * How a bundle travels in JSON: base64, cut into chunks of at most {@value #CHUNK_BYTES} bytes each (an array of
 * strings), because JSON parsers bound one string's length (OpenSearch's to 50 million characters, which a 64 MiB
 * bundle's base64 would pass). A bundle of one chunk may also be written as one plain string, as earlier versions
 * did; readers accept both.
 */
public final class BundleBase64 {
    /** Raw bytes per chunk: 1 MiB, i.e. about 1.4 million base64 characters per string. */
    public static final int CHUNK_BYTES = 1 << 20;

    private BundleBase64() {}

    /** @return the base64 chunks of {@code bytes}, in order; one chunk for a bundle of at most {@value #CHUNK_BYTES} bytes */
    public static List<String> encode(byte[] bytes) {
        Base64.Encoder encoder = Base64.getEncoder();
        List<String> chunks = new ArrayList<>(Math.max(1, (bytes.length + CHUNK_BYTES - 1) / CHUNK_BYTES));
        for (int from = 0; from < bytes.length || chunks.isEmpty(); from += CHUNK_BYTES) {
            int length = Math.min(bytes.length - from, CHUNK_BYTES);
            ByteBuffer encoded = encoder.encode(ByteBuffer.wrap(bytes, from, length)); // no copy of the input slice
            chunks.add(new String(encoded.array(), 0, encoded.limit(), StandardCharsets.ISO_8859_1));
        }
        return chunks;
    }

    /**
     * Decodes a bundle written as one base64 string or as a list of base64 chunks.
     *
     * @param value a {@link String} or a {@link List} of strings
     * @param field the field's name, for the message
     * @throws IllegalArgumentException naming {@code field} when the value is neither, or a chunk is not base64
     */
    public static byte[] decode(Object value, String field) {
        if (value instanceof String text) {
            return decodeChunk(text, field);
        }
        if (value instanceof List<?> list && list.isEmpty() == false) {
            // sized from the chunks' text, then each chunk decoded straight into its place: one copy of the bundle
            long total = 0;
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof String text) {
                    total += decodedLength(text);
                } else {
                    throw new IllegalArgumentException("[" + field + "][" + i + "] must be a base64 string");
                }
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("[" + field + "] is larger than a bundle can be");
            }
            byte[] out = new byte[(int) total];
            ByteBuffer into = ByteBuffer.wrap(out);
            for (int i = 0; i < list.size(); i++) {
                byte[] part = decodeChunk((String) list.get(i), field + "[" + i + "]");
                if (part.length > into.remaining()) {
                    throw new IllegalArgumentException("[" + field + "][" + i + "] is not valid base64");
                }
                into.put(part);
            }
            if (into.hasRemaining()) {
                throw new IllegalArgumentException("[" + field + "] is not valid base64");
            }
            return out;
        }
        throw new IllegalArgumentException("[" + field + "] must be a base64 string or a non-empty array of base64 strings");
    }

    /** @return how many bytes {@code text}, if valid base64, decodes to */
    private static long decodedLength(String text) {
        int n = text.length();
        int padding = n > 0 && text.charAt(n - 1) == '=' ? (n > 1 && text.charAt(n - 2) == '=' ? 2 : 1) : 0;
        int rest = n % 4; // unpadded input: 2 or 3 trailing characters carry 1 or 2 bytes
        return Math.max(0, (long) n / 4 * 3 + (rest == 0 ? 0 : rest - 1) - padding);
    }

    /** @return how many bytes base64 text of {@code chars} characters decodes to, at most */
    public static long decodedBound(long chars) {
        return chars / 4 * 3 + 3;
    }

    /**
     * @param field the field's name, for the message
     * @throws IllegalArgumentException naming {@code field} when {@code text} is not base64
     */
    public static byte[] decodeChunk(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + field + "] is not valid base64: " + e.getMessage());
        }
    }
}
