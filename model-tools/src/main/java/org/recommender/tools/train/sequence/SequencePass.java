package org.recommender.tools.train.sequence;

/**
 * One sequence model's forward and hand-written backward pass over one left-padded window of a {@link Batch}, in
 * double precision, for the {@link SequenceNetwork} that trains it: the parameters and the gradient buffer are passed
 * in, laid out as the model's {@link SequenceLayout}.
 *
 * <p>An instance owns the scratch of one window (the activations the backward pass reads, and its temporaries), sized
 * once for the layout's window length and reused window after window, so training allocates nothing per window. So
 * an instance is not thread-safe: the network keeps one per gradient shard ({@link ShardedGradient}), each used by
 * one thread at a time.
 *
 * @param <M> one window's dropout masks (inverted-dropout factors of its real positions)
 */
interface SequencePass<M> {
    /**
     * Writes {@code p} with each matrix transposed where it lies, so a product with it reads rows; the other blocks
     * of {@code out} are not written. Reads no scratch: any instance of the model's pass gives the same.
     *
     * @param p the parameters
     * @param out receives the transposed matrices, laid out as {@code p}
     */
    void transposed(double[] p, double[] out);

    /**
     * The window's weighted next-item loss, and its gradient added into {@code grad}.
     *
     * @param p the parameters
     * @param pT {@code p} with every matrix transposed in place ({@link #transposed})
     * @param batch the batch holding the window
     * @param row the window's row in the batch
     * @param masks dropout factors of the window's real positions, or null for none
     * @param grad gradient buffer laid out as {@code p}, added into
     * @return {@code Σ weight · (−log softmax(u·Eᵀ)[target])} over the window's real positions, u the user vector
     *     at each position and E the item table
     */
    double lossAndGradient(double[] p, double[] pT, Batch batch, int row, M masks, double[] grad);

    /**
     * The user vector after the window's newest item, without dropout.
     *
     * @param p the parameters
     * @param pT {@code p} with every matrix transposed in place ({@link #transposed})
     * @param window item per position of a batch's windows, row-major
     * @param base where this window starts in {@code window}
     * @param pad leading padding positions
     * @param user receives the user vector, its first d elements overwritten
     */
    void encode(double[] p, double[] pT, int[] window, int base, int pad, double[] user);
}
