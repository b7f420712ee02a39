package org.recommender.tools.train;

import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

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
public record BprConfig(int dims, int epochs, double learningRate, double regularization, double initStd, long seed) implements TrainerConfig {
    /** Factor dimension. */
    public static final HyperParameter<Integer> DIMS = HyperParameter.dims(32, EmbeddingValidator.MAX_DIMENSIONS, "factor dimension")
        .searched(SearchRange.oneOf(32, 64, 128));
    /** Epochs: passes of as many sampled triples as there are training pairs. */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(50, "passes, each drawing one triple per training pair");
    /** SGD step size. */
    public static final HyperParameter<Double> LEARNING_RATE = HyperParameter.real("learning_rate", 0.05, 0, true, 10, false, "SGD step size")
        .searched(SearchRange.logUniform(0.001, 0.2));
    /** L2 penalty. */
    public static final HyperParameter<Double> REGULARIZATION = HyperParameter.real("regularization", 0.01, 0, false, 10, false,
        "L2 penalty on the factors each step touches").searched(SearchRange.logUniform(0.00001, 0.1));
    /** Initialisation spread. */
    public static final HyperParameter<Double> INIT_STD = HyperParameter.real("init_std", 0.1, 0, true, 10, false,
        "standard deviation of the normal initial factors");

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<BprConfig> PARAMETERS = Hyperparameters.<BprConfig>builder()
        .add(DIMS, BprConfig::dims)
        .add(EPOCHS, BprConfig::epochs)
        .add(LEARNING_RATE, BprConfig::learningRate)
        .add(REGULARIZATION, BprConfig::regularization)
        .add(INIT_STD, BprConfig::initStd)
        .fact("negative_sampling", "uniform")
        .build((v, seed) -> new BprConfig(v.get(DIMS), v.get(EPOCHS), v.get(LEARNING_RATE), v.get(REGULARIZATION), v.get(INIT_STD), seed));

    /** Validates every parameter against its declaration, naming the option at fault. */
    public BprConfig {
        DIMS.check(dims);
        EPOCHS.check(epochs);
        LEARNING_RATE.check(learningRate);
        REGULARIZATION.check(regularization);
        INIT_STD.check(initStd);
    }

    /** @return every default, with {@code epochs} and {@code seed} */
    public static BprConfig defaults(int epochs, long seed) {
        return new BprConfig(DIMS.defaultValue(), epochs, LEARNING_RATE.defaultValue(), REGULARIZATION.defaultValue(), INIT_STD.defaultValue(), seed);
    }

    /** @return the hyper-parameters by name, as recorded in the manifest */
    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
