package org.recommender.tools.train;

/**
 * {@link DenseAdam}'s update (same β₁, β₂, ε and bias correction, PyTorch's {@code torch.optim.Adam} without weight
 * decay) over one flat vector of double-precision parameters, for networks that keep every weight block in one array
 * (the hand-written sequence trainers, SASRec and GRU4Rec). Plain scalar arithmetic in index order: deterministic.
 */
public final class FlatAdam {
    private final double[] parameters;
    private final double[] first;
    private final double[] second;
    private final double learningRate;
    private long steps;

    /**
     * @param learningRate α
     * @param parameters the vector to optimise, updated in place
     */
    public FlatAdam(double learningRate, double[] parameters) {
        this.parameters = parameters;
        this.first = new double[parameters.length];
        this.second = new double[parameters.length];
        this.learningRate = learningRate;
    }

    /** One step of every parameter along {@code gradient} (laid out as the parameters; left unchanged). */
    public void step(double[] gradient) {
        steps++;
        double stepSize = learningRate / (1 - Math.pow(DenseAdam.BETA1, steps));
        double correction2 = Math.sqrt(1 - Math.pow(DenseAdam.BETA2, steps));
        double b1 = DenseAdam.BETA1;
        double b2 = DenseAdam.BETA2;
        for (int i = 0; i < parameters.length; i++) {
            double g = gradient[i];
            first[i] = b1 * first[i] + (1 - b1) * g;
            second[i] = b2 * second[i] + (1 - b2) * g * g;
            parameters[i] -= stepSize * first[i] / (Math.sqrt(second[i]) / correction2 + DenseAdam.EPSILON);
        }
    }
}
