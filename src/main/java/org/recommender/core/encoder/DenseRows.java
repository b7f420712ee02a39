package org.recommender.core.encoder;

import org.recommender.core.vector.VectorMath;

/**
 * A weight matrix as one array per output row, with its bias: {@code out = W·x + b} as one SIMD dot product per row
 * ({@link VectorMath}, Panama where enabled) — the shape every encoder layer has. Immutable.
 */
final class DenseRows {
    private final float[][] rows;
    private final float[] bias;

    /**
     * @param weights {@code outputs × inputs} floats, row-major (one row per output); copied
     * @param bias {@code outputs} floats; copied
     */
    DenseRows(float[] weights, float[] bias, int outputs, int inputs) {
        if (weights.length != (long) outputs * inputs || bias.length != outputs) {
            throw new IllegalArgumentException("expected " + outputs + "x" + inputs + " weights and " + outputs + " biases");
        }
        this.rows = new float[outputs][];
        for (int o = 0; o < outputs; o++) {
            rows[o] = java.util.Arrays.copyOfRange(weights, o * inputs, (o + 1) * inputs);
        }
        this.bias = bias.clone();
    }

    int outputs() {
        return rows.length;
    }

    /** {@code out[offset + o] = W[o]·x + b[o]}; {@code x} must be exactly the row width long. */
    void apply(float[] x, float[] out, int offset) {
        for (int o = 0; o < rows.length; o++) {
            out[offset + o] = VectorMath.dot(rows[o], x) + bias[o];
        }
    }

    /** @return heap bytes held */
    long bytes() {
        long inputs = rows.length == 0 ? 0 : rows[0].length;
        return 16 + rows.length * (16 + 4 * inputs) + 16 + 4L * bias.length;
    }
}
