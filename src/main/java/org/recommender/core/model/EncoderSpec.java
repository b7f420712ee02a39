package org.recommender.core.model;

import org.recommender.core.encoder.Gru4RecEncoder;
import org.recommender.core.encoder.MultDaeEncoder;
import org.recommender.core.encoder.SasRecEncoder;

import java.util.ArrayList;
import java.util.List;

/**
 * The header fields of a user encoder ({@code docs/model-format.md}, "User encoders"); fields a type does not use
 * hold neutral values. The constructor checks the ranges that need no dimensions; {@link #check} the rest.
 *
 * @param maxLength the most history items one encoding reads
 * @param heads {@code sasrec}: attention heads
 * @param numBlocks {@code sasrec}: self-attention blocks
 * @param ffnDims {@code sasrec}: the feed-forward layer's inner width
 * @param inputScale {@code sasrec}: multiplies each history vector before its position row is added
 * @param layerNormEpsilon {@code sasrec}: added to the variance in every layer norm
 * @param hiddenDims {@code gru4rec}: the GRU's hidden width
 */
record EncoderSpec(int maxLength, int heads, int numBlocks, int ffnDims, double inputScale, double layerNormEpsilon, int hiddenDims) {
    /** The longest history a sequence encoder reads: attention is quadratic in it. */
    static final int MAX_SEQUENCE_LENGTH = 1024;
    /** The largest history set a {@code multdae} encoder reads. */
    static final int MAX_SET_LENGTH = 100_000;
    static final int MAX_HEADS = 64;
    static final int MAX_BLOCKS = 16;
    /**
     * Most multiply-adds one encoding of a full history ({@code max_length} items) may take: 2^30. Within the bundle
     * size limit alone, a {@code gru4rec} of 2,300 hidden units over 1,024 items took 16.7 billion per user, a request
     * of 100 users 100 times that, on a thread nothing interrupts; models of the sizes trained for real data take tens
     * of millions (SASRec with 64 dimensions, two blocks and 200 items: 30 million), counted by {@link #encodeWork}.
     * The counts are from the shapes; no timing is claimed.
     */
    static final long MAX_ENCODE_WORK = 1L << 30;

    /** The default layer-norm epsilon, SASRec's published code's. */
    static final double DEFAULT_LAYER_NORM_EPSILON = 1e-8;

    /** Checks this spec against the type and dimensions of its header. */
    void check(ModelType type, int userDims, int itemDims) {
        ModelHeader.checkRange("max_length", maxLength, 1, type == ModelType.MULTDAE ? MAX_SET_LENGTH : MAX_SEQUENCE_LENGTH);
        switch (type) {
            case SASREC -> {
                sameDims(type, userDims, itemDims);
                ModelHeader.checkRange("heads", heads, 1, MAX_HEADS);
                if (itemDims % heads != 0) {
                    throw new InvalidModelException("heads: " + heads + " heads do not divide item_dims " + itemDims);
                }
                ModelHeader.checkRange("num_blocks", numBlocks, 1, MAX_BLOCKS);
                ModelHeader.checkRange("ffn_dims", ffnDims, 1, ModelHeader.MAX_LAYER_WIDTH);
                positiveFinite("input_scale", inputScale);
                positiveFinite("layer_norm_epsilon", layerNormEpsilon);
            }
            case GRU4REC -> ModelHeader.checkRange("hidden_dims", hiddenDims, 1, ModelHeader.MAX_DIMS);
            case MULTDAE -> sameDims(type, userDims, itemDims);
            default -> throw new IllegalStateException(type + " is not an encoder");
        }
        long work = encodeWork(type, userDims, itemDims);
        if (work > MAX_ENCODE_WORK) {
            throw new InvalidModelException(
                "max_length: encoding a history of " + maxLength + " items takes " + work + " multiply-adds, more than the " + MAX_ENCODE_WORK
                    + " one encoding may take; lower max_length or the encoder's widths (" + (type == ModelType.GRU4REC ? "hidden_dims" : "ffn_dims, num_blocks")
                    + ")"
            );
        }
    }

    /**
     * @return the multiply-adds of one encoding of {@code max_length} items: a GRU step multiplies the item and the
     *     state by its three gates' weights; a SASRec block projects every position (q, k, v and out: 4d², the
     *     feed-forward layer 2·d·ffn) and attends each to those before it (2·L²·d at most); a set encoder adds vectors
     */
    long encodeWork(ModelType type, int userDims, int itemDims) {
        // the encoders' own counts, which they also answer per call (UserEncoder#encodeWork)
        return switch (type) {
            case GRU4REC -> Gru4RecEncoder.work(maxLength, itemDims, hiddenDims, userDims);
            case SASREC -> SasRecEncoder.work(maxLength, itemDims, numBlocks, ffnDims);
            case MULTDAE -> MultDaeEncoder.work(maxLength, itemDims);
            default -> throw new IllegalStateException(type + " is not an encoder");
        };
    }

    /** @return the weight blocks an encoder of {@code type} holds, in bundle order */
    List<BlockSpec> blocks(ModelType type, int userDims, int itemDims) {
        List<BlockSpec> blocks = new ArrayList<>();
        int d = itemDims;
        switch (type) {
            case SASREC -> {
                blocks.add(BlockSpec.matrix("positions", maxLength, d));
                for (int b = 0; b < numBlocks; b++) {
                    String p = "blocks[" + b + "].";
                    blocks.add(BlockSpec.vector(p + "attention_norm.gain", d));
                    blocks.add(BlockSpec.vector(p + "attention_norm.bias", d));
                    blocks.add(BlockSpec.matrix(p + "attention.in_weights", 3 * d, d));
                    blocks.add(BlockSpec.vector(p + "attention.in_bias", 3 * d));
                    blocks.add(BlockSpec.matrix(p + "attention.out_weights", d, d));
                    blocks.add(BlockSpec.vector(p + "attention.out_bias", d));
                    blocks.add(BlockSpec.vector(p + "ffn_norm.gain", d));
                    blocks.add(BlockSpec.vector(p + "ffn_norm.bias", d));
                    blocks.add(BlockSpec.matrix(p + "ffn.in_weights", ffnDims, d));
                    blocks.add(BlockSpec.vector(p + "ffn.in_bias", ffnDims));
                    blocks.add(BlockSpec.matrix(p + "ffn.out_weights", d, ffnDims));
                    blocks.add(BlockSpec.vector(p + "ffn.out_bias", d));
                }
                blocks.add(BlockSpec.vector("final_norm.gain", d));
                blocks.add(BlockSpec.vector("final_norm.bias", d));
            }
            case GRU4REC -> {
                int h = hiddenDims;
                blocks.add(BlockSpec.matrix("gru.input_weights", 3 * h, itemDims));
                blocks.add(BlockSpec.matrix("gru.hidden_weights", 3 * h, h));
                blocks.add(BlockSpec.vector("gru.input_bias", 3 * h));
                blocks.add(BlockSpec.vector("gru.hidden_bias", 3 * h));
                blocks.add(BlockSpec.matrix("output.weights", userDims, h));
                blocks.add(BlockSpec.vector("output.bias", userDims));
            }
            case MULTDAE -> blocks.add(BlockSpec.vector("encoder.bias", userDims));
            default -> throw new IllegalStateException(type + " is not an encoder");
        }
        return blocks;
    }

    private static void sameDims(ModelType type, int userDims, int itemDims) {
        if (userDims != itemDims) {
            throw new InvalidModelException(
                "user_dims: a " + type.externalName() + " encoder produces vectors of its item_dims " + itemDims + " but user_dims is " + userDims
            );
        }
    }

    private static void positiveFinite(String field, double value) {
        if (Float.isFinite((float) value) == false || (float) value <= 0) {
            throw new InvalidModelException(field + ": must be a finite float32 number above 0 but was " + value);
        }
    }
}
