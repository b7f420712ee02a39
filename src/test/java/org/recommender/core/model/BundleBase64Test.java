package org.recommender.core.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chunked base64 against the JDK's one-string base64 as the reference, at every chunk boundary. */
class BundleBase64Test {
    @Test
    void chunksRoundTripAndJoinToTheOneStringEncoding() {
        SplittableRandom random = new SplittableRandom(11);
        int c = BundleBase64.CHUNK_BYTES;
        for (int size : new int[] { 0, 1, 2, 3, 4, c - 1, c, c + 1, 2 * c + c / 2 }) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            List<String> chunks = BundleBase64.encode(bytes);
            assertEquals(Math.max(1, (size + c - 1) / c), chunks.size(), "chunks of " + size);
            for (int i = 0; i < chunks.size() - 1; i++) {
                assertEquals(c / 3 * 4 + (c % 3 == 0 ? 0 : 4), chunks.get(i).length(), "whole chunk " + i + " of " + size);
            }
            assertArrayEquals(bytes, BundleBase64.decode(chunks, "bundle"), "list of " + size);
            assertArrayEquals(bytes, BundleBase64.decode(Base64.getEncoder().encodeToString(bytes), "bundle"), "string of " + size);
        }
    }

    @Test
    void unpaddedAndUnevenChunksDecodeLikeTheJdk() {
        List<String> chunks = List.of("QQ", "QUI", "QUJD", "QQ==");
        byte[] expected = new byte[0];
        for (String chunk : chunks) {
            byte[] part = Base64.getDecoder().decode(chunk);
            byte[] joined = new byte[expected.length + part.length];
            System.arraycopy(expected, 0, joined, 0, expected.length);
            System.arraycopy(part, 0, joined, expected.length, part.length);
            expected = joined;
        }
        assertArrayEquals(expected, BundleBase64.decode(chunks, "bundle"));
    }

    @Test
    void badChunksAreNamed() {
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class, () -> BundleBase64.decode(List.of("QUJD", "*"), "bundle"));
        assertTrue(notBase64.getMessage().contains("[bundle[1]] is not valid base64"), notBase64.getMessage());
        List<Object> mixed = new ArrayList<>(List.of("QUJD"));
        mixed.add(7);
        IllegalArgumentException notString = assertThrows(IllegalArgumentException.class, () -> BundleBase64.decode(mixed, "bundle"));
        assertTrue(notString.getMessage().contains("[bundle][1] must be a base64 string"), notString.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BundleBase64.decode(List.of(), "bundle"));
        assertThrows(IllegalArgumentException.class, () -> BundleBase64.decode(3, "bundle"));
    }
}
