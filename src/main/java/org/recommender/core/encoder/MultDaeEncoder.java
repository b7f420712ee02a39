package org.recommender.core.encoder;

/**
 * The {@code multdae} encoder, the encoder half of Mult-DAE (Liang et al., WWW 2018; formula in
 * {@code docs/model-format.md}): {@code u = tanh(Σ e_i / sqrt(n) + b)} over the n distinct history items, whose
 * vectors are the encoder matrix's item columns. A set encoder: callers pass each distinct item once, in any order.
 */
public final class MultDaeEncoder implements UserEncoder {
    private final int dims;
    private final int maxLength;
    private final float[] bias;

    /**
     * @param dims the bottleneck width: item and user dimension
     * @param maxLength the most distinct items one encoding reads
     * @param bias {@code encoder.bias}, {@code dims} long; copied
     */
    public MultDaeEncoder(int dims, int maxLength, float[] bias) {
        if (bias.length != dims) {
            throw new IllegalArgumentException("encoder.bias: expected " + dims + " floats but was " + bias.length);
        }
        this.dims = dims;
        this.maxLength = maxLength;
        this.bias = bias.clone();
    }

    @Override
    public String type() {
        return "multdae";
    }

    @Override
    public int itemDims() {
        return dims;
    }

    @Override
    public int userDims() {
        return dims;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public boolean ordered() {
        return false;
    }

    @Override
    public long memoryBytes() {
        return 64 + 4L * dims;
    }

    /** @return the multiply-adds of one encoding of {@code length} distinct items: their vectors added up */
    public static long work(int length, int dims) {
        return (long) length * dims;
    }

    @Override
    public long encodeWork(int length) {
        return work(length, dims);
    }

    @Override
    public long encodeBytesBound(int length) {
        return 64 + 12L * dims; // the double sums and the result
    }

    @Override
    public float[] encode(float[][] history, int length) {
        Histories.check("multdae", history, length, maxLength, dims);
        double[] sums = new double[dims];
        for (int t = 0; t < length; t++) {
            float[] e = history[t];
            for (int c = 0; c < dims; c++) {
                sums[c] += e[c];
            }
        }
        double norm = 1 / Math.sqrt(length);
        float[] user = new float[dims];
        for (int c = 0; c < dims; c++) {
            user[c] = (float) Math.tanh(sums[c] * norm + bias[c]);
        }
        return user;
    }
}
