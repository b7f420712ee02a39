package org.recommender.tools.train.sequence;

import java.util.Map;

/**
 * Where each SASRec weight block lies in the trainer's one flat parameter vector: the item table first ({@link FlatBlocks#ITEMS},
 * {@code items × d}), then the encoder bundle's blocks under their bundle names and in bundle order
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
record SasRecLayout(int items, int dims, int maxLength, int heads, int blocks, int ffnDims) implements SequenceLayout {
    /** Checks that the heads divide d. */
    SasRecLayout {
        if (dims % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide dims (" + dims + ")");
        }
    }

    @Override
    public Map<String, int[]> blocksByName() {
        return flat().byName();
    }

    private FlatBlocks flat() {
        FlatBlocks m = new FlatBlocks().add(FlatBlocks.ITEMS, items * dims).add("positions", maxLength * dims);
        for (int b = 0; b < blocks; b++) {
            String p = block(b);
            m.add(p + "attention_norm.gain", dims)
                .add(p + "attention_norm.bias", dims)
                .add(p + "attention.in_weights", 3 * dims * dims)
                .add(p + "attention.in_bias", 3 * dims)
                .add(p + "attention.out_weights", dims * dims)
                .add(p + "attention.out_bias", dims)
                .add(p + "ffn_norm.gain", dims)
                .add(p + "ffn_norm.bias", dims)
                .add(p + "ffn.in_weights", ffnDims * dims)
                .add(p + "ffn.in_bias", ffnDims)
                .add(p + "ffn.out_weights", dims * ffnDims)
                .add(p + "ffn.out_bias", dims);
        }
        return m.add("final_norm.gain", dims).add("final_norm.bias", dims);
    }

    /** @return the name prefix of block {@code b}, e.g. {@code blocks[0].} */
    static String block(int b) {
        return "blocks[" + b + "].";
    }

    @Override
    public int size() {
        return flat().size();
    }
}
