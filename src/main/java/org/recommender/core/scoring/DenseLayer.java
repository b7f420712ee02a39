package org.recommender.core.scoring;

import org.recommender.core.vector.VectorMath;

import java.util.Arrays;

/**
 * One fully connected layer, {@code out[o] = activation(W[o] · in + bias[o])}, with its weights held as one array
 * per output row so that each output is a single {@link VectorMath#dot} call (which needs whole,
 * equal-length arrays). Immutable; the same instance describes the layer to both kernels.
 */
public final class DenseLayer {
    /** Heap overhead of one Java array (object header and length), for memory estimates. */
    static final long ARRAY_HEADER_BYTES = 16;

    private final int inputs;
    private final int outputs;
    private final Activation activation;
    private final float[][] rows;
    private final float[] bias;

    /**
     * @param inputs width of the input
     * @param outputs width of the output
     * @param weights {@code outputs × inputs} floats, row-major (row {@code o} holds the weights of output {@code o});
     *     copied
     * @param bias {@code outputs} floats; copied
     * @param activation applied to every output
     */
    public DenseLayer(int inputs, int outputs, float[] weights, float[] bias, Activation activation) {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("a layer needs at least one input and one output but has " + outputs + "x" + inputs);
        }
        if (weights.length != (long) inputs * outputs || bias.length != outputs) {
            throw new IllegalArgumentException(
                "a " + outputs + "x" + inputs + " layer needs " + (long) inputs * outputs + " weights and " + outputs
                    + " biases but got " + weights.length + " and " + bias.length
            );
        }
        this.inputs = inputs;
        this.outputs = outputs;
        this.activation = activation;
        this.rows = new float[outputs][];
        for (int o = 0; o < outputs; o++) {
            rows[o] = Arrays.copyOfRange(weights, o * inputs, (o + 1) * inputs);
        }
        this.bias = bias.clone();
    }

    /**
     * Computes the layer on the JVM.
     *
     * @param in exactly {@link #inputs()} values
     * @param out receives {@link #outputs()} values; exactly that long
     */
    public void forward(float[] in, float[] out) {
        for (int o = 0; o < outputs; o++) {
            out[o] = activation.apply(VectorMath.dot(rows[o], in) + bias[o]);
        }
    }

    /** @return the input width */
    public int inputs() {
        return inputs;
    }

    /** @return the output width */
    public int outputs() {
        return outputs;
    }

    /** @return the activation applied to every output */
    public Activation activation() {
        return activation;
    }

    /** @return a copy of the weights, {@code outputs × inputs} row-major */
    public float[] weightsRowMajor() {
        float[] flat = new float[inputs * outputs];
        for (int o = 0; o < outputs; o++) {
            System.arraycopy(rows[o], 0, flat, o * inputs, inputs);
        }
        return flat;
    }

    /** @return a copy of the biases */
    public float[] bias() {
        return bias.clone();
    }

    /** @return the bytes the weights and biases occupy on the heap, array headers included */
    public long memoryBytes() {
        return (long) outputs * (ARRAY_HEADER_BYTES + 4L * inputs) + ARRAY_HEADER_BYTES + 4L * outputs + ARRAY_HEADER_BYTES;
    }
}
