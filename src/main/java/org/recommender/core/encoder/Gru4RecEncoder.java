package org.recommender.core.encoder;

import java.util.List;

/**
 * The {@code gru4rec} encoder (Hidasi et al., ICLR 2016; formulas in {@code docs/model-format.md}): a one-layer
 * GRU with PyTorch's gate layout (rows r, z, n) over the history, then a linear projection of the last hidden
 * state. Matrix rows are SIMD dot products ({@link DenseRows}); the gates are evaluated in double.
 */
public final class Gru4RecEncoder implements UserEncoder {
    private final int itemDims;
    private final int userDims;
    private final int hidden;
    private final int maxLength;
    private final DenseRows input;
    private final DenseRows recurrent;
    private final DenseRows output;

    /**
     * @param weights the blocks in bundle order: {@code gru.input_weights}, {@code gru.hidden_weights},
     *     {@code gru.input_bias}, {@code gru.hidden_bias}, {@code output.weights}, {@code output.bias}; copied
     */
    public Gru4RecEncoder(int itemDims, int userDims, int hidden, int maxLength, List<float[]> weights) {
        if (weights.size() != 6) {
            throw new IllegalArgumentException("a gru4rec encoder has 6 weight blocks but " + weights.size() + " were given");
        }
        this.itemDims = itemDims;
        this.userDims = userDims;
        this.hidden = hidden;
        this.maxLength = maxLength;
        this.input = new DenseRows(weights.get(0), weights.get(2), 3 * hidden, itemDims);
        this.recurrent = new DenseRows(weights.get(1), weights.get(3), 3 * hidden, hidden);
        this.output = new DenseRows(weights.get(4), weights.get(5), userDims, hidden);
    }

    @Override
    public String type() {
        return "gru4rec";
    }

    @Override
    public int itemDims() {
        return itemDims;
    }

    @Override
    public int userDims() {
        return userDims;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public long memoryBytes() {
        return 128 + input.bytes() + recurrent.bytes() + output.bytes();
    }

    /**
     * @return the multiply-adds of one encoding of {@code length} items: each step multiplies the item and the state
     *     by the three gates' weights, then the last state is projected to the user vector
     */
    public static long work(int length, int itemDims, int hidden, int userDims) {
        return length * 3L * hidden * ((long) itemDims + hidden) + (long) userDims * hidden;
    }

    @Override
    public long encodeWork(int length) {
        return work(length, itemDims, hidden, userDims);
    }

    @Override
    public long encodeBytesBound(int length) {
        return 256 + 4L * (8 * hidden + userDims); // the step's gate vectors and the state; nothing grows with length
    }

    @Override
    public float[] encode(float[][] history, int length) {
        Histories.check("gru4rec", history, length, maxLength, itemDims);
        int h = hidden;
        float[] state = new float[h];
        float[] fromInput = new float[3 * h];
        float[] fromState = new float[3 * h];
        for (int t = 0; t < length; t++) {
            input.apply(history[t], fromInput, 0);
            recurrent.apply(state, fromState, 0);
            for (int i = 0; i < h; i++) {
                double r = sigmoid((double) fromInput[i] + fromState[i]);
                double z = sigmoid((double) fromInput[h + i] + fromState[h + i]);
                double n = Math.tanh(fromInput[2 * h + i] + r * fromState[2 * h + i]);
                state[i] = (float) ((1 - z) * n + z * state[i]);
            }
        }
        float[] user = new float[userDims];
        output.apply(state, user, 0);
        return user;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
