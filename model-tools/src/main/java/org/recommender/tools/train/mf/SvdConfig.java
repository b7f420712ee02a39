package org.recommender.tools.train.mf;

import org.recommender.tools.train.TrainerConfig;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

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
public record SvdConfig(int dims, int epochs, double learningRate, double regularization, double initStd, long seed) implements TrainerConfig {
    /** Factor dimension; the served vectors carry two more (bias and its partner 1). */
    public static final HyperParameter<Integer> DIMS = HyperParameter.dims(100, EmbeddingValidator.MAX_DIMENSIONS - 2,
        "factor dimension (served vectors have 2 more: biases)").searched(SearchRange.oneOf(50, 100, 200, 400));
    /**
     * Passes over the ratings. Searched (random search without {@code --epochs}): SVD trains a fixed number of epochs,
     * so how many is a setting like the step size, as in Surprise's {@code GridSearchCV} over {@code n_epochs}.
     */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(20, "passes over the ratings, each in a fresh random order")
        .searched(SearchRange.oneOf(20, 40, 80, 160));
    /** SGD step size. */
    public static final HyperParameter<Double> LEARNING_RATE = HyperParameter.real("learning_rate", 0.005, 0, true, 1e6, true, "SGD step size γ")
        .searched(SearchRange.logUniform(0.001, 0.05));
    /** L2 penalty. */
    public static final HyperParameter<Double> REGULARIZATION = HyperParameter.real("regularization", 0.02, 0, false, 1e6, true,
        "L2 penalty λ on factors and biases").searched(SearchRange.logUniform(0.005, 0.5));
    /** Initialisation spread. */
    public static final HyperParameter<Double> INIT_STD = HyperParameter.real("init_std", 0.1, 0, true, 1e6, true,
        "standard deviation of the normal initial factors");

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<SvdConfig> PARAMETERS = Hyperparameters.<SvdConfig>builder()
        .add(DIMS, SvdConfig::dims)
        .add(EPOCHS, SvdConfig::epochs)
        .add(LEARNING_RATE, SvdConfig::learningRate)
        .add(REGULARIZATION, SvdConfig::regularization)
        .add(INIT_STD, SvdConfig::initStd)
        .build((v, seed) -> new SvdConfig(v.get(DIMS), v.get(EPOCHS), v.get(LEARNING_RATE), v.get(REGULARIZATION), v.get(INIT_STD), seed));

    /** Validates every parameter against its declaration, naming the option at fault. */
    public SvdConfig {
        DIMS.check(dims);
        EPOCHS.check(epochs);
        LEARNING_RATE.check(learningRate);
        REGULARIZATION.check(regularization);
        INIT_STD.check(initStd);
    }

    /** @return the hyper-parameters by name */
    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
