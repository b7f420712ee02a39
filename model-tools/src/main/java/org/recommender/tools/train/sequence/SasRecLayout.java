package org.recommender.tools.train.sequence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each SASRec weight block lies in the trainer's one flat parameter vector: the item table first (name
 * {@code items}, {@code items × d}), then the encoder bundle's blocks under their bundle names and in bundle order
 * ({@code positions}, each block's twelve, {@code final_norm}; {@code docs/model-format.md}, "User encoders"). Every
 * matrix is row-major with one row per output, as the bundle stores it; {@code attention.in_weights} stacks the q, k
 * and v rows.
 *
 * @param items catalogue size
 * @param dims d
 * @param maxLength M
 * @param heads H, dividing d
 * @param blocks self-attention blocks
 * @param ffnDims feed-forward width
 */
record SasRecLayout(int items, int dims, int maxLength, int heads, int blocks, int ffnDims) {
    /** Checks that the heads divide d. */
    SasRecLayout {
        if (dims % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide dims (" + dims + ")");
        }
    }

    /** The name of the item table's block (not a bundle block: the bundle's items are its {@code items()} table). */
    static final String ITEMS = "items";

    /** @return every block's {offset, length}, item table first, then bundle order */
    Map<String, int[]> blocksByName() {
        Map<String, int[]> m = new LinkedHashMap<>();
        int[] at = { 0 };
        put(m, at, ITEMS, items * dims);
        put(m, at, "positions", maxLength * dims);
        for (int b = 0; b < blocks; b++) {
            String p = block(b);
            put(m, at, p + "attention_norm.gain", dims);
            put(m, at, p + "attention_norm.bias", dims);
            put(m, at, p + "attention.in_weights", 3 * dims * dims);
            put(m, at, p + "attention.in_bias", 3 * dims);
            put(m, at, p + "attention.out_weights", dims * dims);
            put(m, at, p + "attention.out_bias", dims);
            put(m, at, p + "ffn_norm.gain", dims);
            put(m, at, p + "ffn_norm.bias", dims);
            put(m, at, p + "ffn.in_weights", ffnDims * dims);
            put(m, at, p + "ffn.in_bias", ffnDims);
            put(m, at, p + "ffn.out_weights", dims * ffnDims);
            put(m, at, p + "ffn.out_bias", dims);
        }
        put(m, at, "final_norm.gain", dims);
        put(m, at, "final_norm.bias", dims);
        return Collections.unmodifiableMap(m);
    }

    /** @return the name prefix of block {@code b}, e.g. {@code blocks[0].} */
    static String block(int b) {
        return "blocks[" + b + "].";
    }

    /** @return the length of the flat parameter vector */
    int size() {
        int n = 0;
        for (int[] block : blocksByName().values()) {
            n += block[1];
        }
        return n;
    }

    private static void put(Map<String, int[]> m, int[] at, String name, int length) {
        m.put(name, new int[] { at[0], length });
        at[0] += length;
    }
}
