package org.recommender.tools.train;

/**
 * Adam (Kingma &amp; Ba 2015; β₁ 0.9, β₂ 0.999, ε 1e-8, bias-corrected as PyTorch's {@code torch.optim.Adam}) over
 * factor matrices, stepped densely: every factor moves every step, rows a batch did not touch by their decaying
 * moments, exactly as a dense PyTorch embedding table does. Trainers add their batch's gradient into
 * {@link #gradient(int)} and call {@link #step()}, which applies and clears it. The L2 penalty is PyTorch's
 * {@code weight_decay}, added to every gradient. Plain scalar float arithmetic in a fixed order: deterministic.
 */
public final class DenseAdam {
    /** β₁, shared with {@link FlatAdam}. */
    static final float BETA1 = 0.9f;
    /** β₂, shared with {@link FlatAdam}. */
    static final float BETA2 = 0.999f;
    /** ε, shared with {@link FlatAdam}. */
    static final float EPSILON = 1e-8f;

    private final float[][][] factors;
    private final float[][][] first;
    private final float[][][] second;
    private final float[][][] gradients;
    private final double learningRate;
    private final float weightDecay;
    private long steps;

    /**
     * @param learningRate α
     * @param weightDecay added as {@code weightDecay · w} to each gradient; 0 for none
     * @param factors the matrices to optimise, updated in place
     */
    public DenseAdam(double learningRate, double weightDecay, float[][]... factors) {
        this.factors = factors;
        this.first = new float[factors.length][][];
        this.second = new float[factors.length][][];
        this.gradients = new float[factors.length][][];
        for (int m = 0; m < factors.length; m++) {
            first[m] = zerosLike(factors[m]);
            second[m] = zerosLike(factors[m]);
            gradients[m] = zerosLike(factors[m]);
        }
        this.learningRate = learningRate;
        this.weightDecay = (float) weightDecay;
    }

    /** @return the gradient buffer of matrix {@code m} (as passed to the constructor), to add the batch's gradient into */
    public float[][] gradient(int m) {
        return gradients[m];
    }

    /** One step over every factor of every matrix; clears the gradients. */
    public void step() {
        steps++;
        float stepSize = (float) (learningRate / (1 - Math.pow(BETA1, steps)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(BETA2, steps));
        for (int m = 0; m < factors.length; m++) {
            for (int r = 0; r < factors[m].length; r++) {
                float[] w = factors[m][r];
                float[] mo = first[m][r];
                float[] v = second[m][r];
                float[] g = gradients[m][r];
                for (int f = 0; f < w.length; f++) {
                    float grad = g[f] + weightDecay * w[f];
                    g[f] = 0;
                    mo[f] = BETA1 * mo[f] + (1 - BETA1) * grad;
                    v[f] = BETA2 * v[f] + (1 - BETA2) * grad * grad;
                    w[f] -= stepSize * mo[f] / ((float) Math.sqrt(v[f]) / correction2 + EPSILON);
                }
            }
        }
    }

    private static float[][] zerosLike(float[][] matrix) {
        float[][] z = new float[matrix.length][];
        for (int r = 0; r < matrix.length; r++) {
            z[r] = new float[matrix[r].length];
        }
        return z;
    }
}
