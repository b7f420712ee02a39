package org.recommender.tools.train.sequence;

import java.util.SplittableRandom;

/**
 * A sequence encoder being trained (SASRec, GRU4Rec): its next-item training step and what it exports. The network's
 * item table is both the input and the output embedding, so a user vector scores items by dot product with it.
 */
interface SequenceNetwork {
    /**
     * One Adam step on a batch, with dropout masks drawn from {@code random}.
     *
     * @return the batch's mean cross-entropy over its real positions
     */
    double step(Batch batch, SplittableRandom random);

    /**
     * Encodes histories with the trainer's own forward, without dropout: the user vector after each history's newest item.
     *
     * @param histories per row, item indices oldest first, 1 to {@link #maxLength()} each
     */
    float[][] encode(int[][] histories);

    /** @return the user vector after each window's newest position, without dropout; padding items are whatever the batch holds */
    float[][] encode(Batch batch);

    /** Sets every weight from an export, named as {@link #weights()} names them (tests: chosen weights in). */
    void load(EncoderWeights weights);

    /** @return the window length M */
    int maxLength();

    /** @return a copy of the weights as the encoder bundle lays them out, with the item table */
    EncoderWeights weights();
}
