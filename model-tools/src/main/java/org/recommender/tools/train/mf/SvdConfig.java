package org.recommender.tools.train.mf;

import org.recommender.tools.train.TrainerParameters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of {@link SvdTrainer}.
 *
 * @param dims factor dimension
 * @param epochs passes over the ratings, each in a fresh random order
 * @param learningRate SGD step size
 * @param regularization L2 penalty on factors and biases
 * @param initStd standard deviation of the initial factors
 * @param seed random seed
 */
public record SvdConfig(int dims, int epochs, double learningRate, double regularization, double initStd, long seed) {
    /** Validates every parameter, naming it. */
    public SvdConfig {
        Checks.dims(dims);
        Checks.atLeast("epochs", epochs, 1);
        Checks.positive("learning_rate", learningRate);
        Checks.nonNegative("regularization", regularization);
        Checks.positive("init_std", initStd);
    }

    /** Reads the parameters of {@code svd}, with these defaults for anything not given. */
    public static SvdConfig from(TrainerParameters p, int dims, int epochs, long seed) {
        return new SvdConfig(dims, epochs, p.number("learning_rate", 0.005), p.number("regularization", 0.02), p.number("init_std", 0.1), seed);
    }

    /** @return the hyper-parameters by name */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dims", dims);
        m.put("epochs", epochs);
        m.put("learning_rate", learningRate);
        m.put("regularization", regularization);
        m.put("init_std", initStd);
        return m;
    }
}
