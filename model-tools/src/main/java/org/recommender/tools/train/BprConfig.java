package org.recommender.tools.train;

import org.recommender.core.vector.EmbeddingValidator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of {@link BprTrainer}.
 *
 * @param dims factor dimension
 * @param epochs passes over the data; each draws as many (user, positive, negative) triples as there are
 *     training pairs
 * @param learningRate SGD step size
 * @param regularization L2 penalty on the factors touched by each step
 * @param initStd standard deviation of the normal initialisation
 * @param seed random seed; the same data, hyper-parameters and seed give identical vectors
 */
public record BprConfig(int dims, int epochs, double learningRate, double regularization, double initStd, long seed) {
    /** Default dimension. */
    public static final int DEFAULT_DIMS = 32;
    /** Default epochs. */
    public static final int DEFAULT_EPOCHS = 50;
    /** Default learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 0.05;
    /** Default L2 regularization. */
    public static final double DEFAULT_REGULARIZATION = 0.01;
    /** Default initialisation standard deviation. */
    public static final double DEFAULT_INIT_STD = 0.1;

    /** Validates every parameter, naming the option at fault. */
    public BprConfig {
        if (dims < 1 || dims > EmbeddingValidator.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("--dims must be between 1 and " + EmbeddingValidator.MAX_DIMENSIONS + " but was " + dims);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1 but was " + epochs);
        }
        if ((learningRate > 0 && learningRate <= 10) == false) {
            throw new IllegalArgumentException("--learning-rate must be in (0, 10] but was " + learningRate);
        }
        if ((regularization >= 0 && regularization <= 10) == false) {
            throw new IllegalArgumentException("--regularization must be in [0, 10] but was " + regularization);
        }
        if ((initStd > 0 && initStd <= 10) == false) {
            throw new IllegalArgumentException("--init-std must be in (0, 10] but was " + initStd);
        }
    }

    /** @return the hyper-parameters by name, as recorded in the manifest */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dims", dims);
        m.put("epochs", epochs);
        m.put("learning_rate", learningRate);
        m.put("regularization", regularization);
        m.put("init_std", initStd);
        m.put("negative_sampling", "uniform");
        return m;
    }
}
