package org.recommender.tools.train.ease;

import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.train.TrainerConfig;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.Map;

/**
 * Hyper-parameters of {@link ElsaTrainer}; the defaults follow the authors' code (recombee/ELSA): step size 0.1,
 * 20 epochs, batches of 128 users, 256 dimensions (its README's example).
 *
 * @param dims r, the dimension of the item rows of A
 * @param epochs passes over the users
 * @param learningRate Adam's α
 * @param batchSize users per Adam step
 * @param seed seeds the initial A and the user order; the same data, hyper-parameters and seed give identical vectors
 */
public record ElsaConfig(int dims, int epochs, double learningRate, int batchSize, long seed) implements TrainerConfig {
    /** r. */
    public static final HyperParameter<Integer> DIMS = HyperParameter.dims(256, EmbeddingValidator.MAX_DIMENSIONS, "dimension r of the item rows of A")
        .searched(SearchRange.oneOf(64, 128, 256, 512));
    /** Epochs. */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(20, "passes over the users")
        .searched(SearchRange.oneOf(10, 20, 50, 100));
    /** Adam's α. */
    public static final HyperParameter<Double> LEARNING_RATE = HyperParameter.real("learning_rate", 0.1, 0, true, 10, false, "Adam's step size")
        .searched(SearchRange.logUniform(0.005, 0.3));
    /** Users per step. */
    public static final HyperParameter<Integer> BATCH_SIZE = HyperParameter.integer("batch_size", 128, 1, 1 << 14, "users per Adam step")
        .searched(SearchRange.oneOf(32, 64, 128, 256, 512));

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<ElsaConfig> PARAMETERS = Hyperparameters.<ElsaConfig>builder()
        .add(DIMS, ElsaConfig::dims)
        .add(EPOCHS, ElsaConfig::epochs)
        .add(LEARNING_RATE, ElsaConfig::learningRate)
        .add(BATCH_SIZE, ElsaConfig::batchSize)
        .fact("optimizer", "adam")
        .fact("loss", "normalised mse")
        .build((v, seed) -> new ElsaConfig(v.get(DIMS), v.get(EPOCHS), v.get(LEARNING_RATE), v.get(BATCH_SIZE), seed));

    /** Validates every parameter against its declaration, naming the option at fault. */
    public ElsaConfig {
        DIMS.check(dims);
        EPOCHS.check(epochs);
        LEARNING_RATE.check(learningRate);
        BATCH_SIZE.check(batchSize);
    }

    /** @return the hyper-parameters by name, as recorded in the manifest */
    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
