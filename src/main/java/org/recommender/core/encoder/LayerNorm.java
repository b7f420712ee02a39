package org.recommender.core.encoder;

/**
 * {@code LN(y) = (y − mean(y)) / sqrt(var(y) + ε) ⊙ gain + bias}, the variance over the vector's d elements with
 * divisor d; mean and variance summed in double, so a vector with a large mean keeps its precision. Immutable.
 */
final class LayerNorm {
    private final float[] gain;
    private final float[] bias;
    private final double epsilon;

    LayerNorm(float[] gain, float[] bias, double epsilon) {
        this.gain = gain.clone();
        this.bias = bias.clone();
        this.epsilon = epsilon;
    }

    /** Writes {@code LN(y)} into {@code out} (may be {@code y}). */
    void apply(float[] y, float[] out) {
        int d = y.length;
        double sum = 0;
        for (float v : y) {
            sum += v;
        }
        double mean = sum / d;
        double squares = 0;
        for (float v : y) {
            double c = v - mean;
            squares += c * c;
        }
        double inverse = 1 / Math.sqrt(squares / d + epsilon);
        for (int i = 0; i < d; i++) {
            out[i] = (float) ((y[i] - mean) * inverse * gain[i] + bias[i]);
        }
    }

    long bytes() {
        return 48 + 8L * gain.length;
    }
}
