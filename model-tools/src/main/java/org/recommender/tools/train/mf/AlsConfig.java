package org.recommender.tools.train.mf;

import org.recommender.tools.train.TrainerConfig;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.Map;

/**
 * Hyper-parameters of {@link AlsTrainer}.
 *
 * @param dims factor dimension
 * @param epochs alternating passes
 * @param regularization λ, multiplied by each row's number of ratings (ALS-WR)
 * @param initStd standard deviation of the initial factors
 * @param seed random seed
 */
public record AlsConfig(int dims, int epochs, double regularization, double initStd, long seed) implements TrainerConfig {
    /** Factor dimension; the served vectors carry two more (bias and its partner 1). */
    public static final HyperParameter<Integer> DIMS = HyperParameter.dims(64, EmbeddingValidator.MAX_DIMENSIONS - 2,
        "factor dimension (served vectors have 2 more: biases)");
    /** Alternating passes. */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(15, "alternating passes (users, then items)");
    /** λ of ALS-WR. */
    public static final HyperParameter<Double> REGULARIZATION = HyperParameter.real("regularization", 0.1, 0, true, 1e6, true,
        "λ, times each row's number of ratings (ALS-WR)").searched(SearchRange.logUniform(0.01, 1));
    /** Initialisation spread. */
    public static final HyperParameter<Double> INIT_STD = HyperParameter.real("init_std", 0.1, 0, true, 1e6, true,
        "standard deviation of the normal initial factors");

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<AlsConfig> PARAMETERS = Hyperparameters.<AlsConfig>builder()
        .add(DIMS, AlsConfig::dims)
        .add(EPOCHS, AlsConfig::epochs)
        .add(REGULARIZATION, AlsConfig::regularization)
        .add(INIT_STD, AlsConfig::initStd)
        .build((v, seed) -> new AlsConfig(v.get(DIMS), v.get(EPOCHS), v.get(REGULARIZATION), v.get(INIT_STD), seed));

    /** Validates every parameter against its declaration, naming the option at fault. */
    public AlsConfig {
        DIMS.check(dims);
        EPOCHS.check(epochs);
        REGULARIZATION.check(regularization);
        INIT_STD.check(initStd);
    }

    /** @return the hyper-parameters by name */
    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
