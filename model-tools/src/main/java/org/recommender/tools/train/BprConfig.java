package org.recommender.tools.train;

import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.List;
import java.util.Map;

/**
 * Hyper-parameters of {@link BprTrainer}.
 *
 * @param dims factor dimension
 * @param epochs passes over the data; each draws as many (user, positive, negative) triples as there are
 *     training pairs
 * @param learningRate step size (SGD's, or Adam's α)
 * @param regularization L2 penalty: SGD on the factors each step touches; Adam as weight decay on every factor
 * @param initStd standard deviation of the normal initialisation
 * @param optimizer {@code adam} (minibatches over a shuffled pass, as RecBole trains BPR) or {@code sgd} (LearnBPR)
 * @param batchSize Adam: triples per step
 * @param seed random seed; the same data, hyper-parameters and seed give identical vectors
 */
public record BprConfig(int dims, int epochs, double learningRate, double regularization, double initStd, String optimizer, int batchSize, long seed)
    implements TrainerConfig {
    /** Factor dimension. */
    public static final HyperParameter<Integer> DIMS = HyperParameter.dims(32, EmbeddingValidator.MAX_DIMENSIONS, "factor dimension")
        .searched(SearchRange.oneOf(32, 64, 128));
    /** Epochs: passes of as many sampled triples as there are training pairs. */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(50, "passes, each drawing one triple per training pair");
    /** Step size. */
    public static final HyperParameter<Double> LEARNING_RATE = HyperParameter.real("learning_rate", 0.001, 0, true, 10, false,
        "step size (Adam's alpha; for sgd try 0.05)").searched(SearchRange.logUniform(0.0003, 0.01));
    /** L2 penalty. */
    public static final HyperParameter<Double> REGULARIZATION = HyperParameter.real("regularization", 0, 0, false, 10, false,
        "L2: Adam's weight decay; sgd's per-step penalty (try 0.01)")
        .searched(SearchRange.oneOf(0.0, 1e-6, 1e-5, 1e-4));
    /** Initialisation spread. */
    public static final HyperParameter<Double> INIT_STD = HyperParameter.real("init_std", 0.01, 0, true, 10, false,
        "standard deviation of the normal initial factors")
        .searched(SearchRange.logUniform(0.003, 0.1));
    /** The optimizer. */
    public static final HyperParameter<String> OPTIMIZER = HyperParameter.choice("optimizer", "adam", List.of("adam", "sgd"),
        "adam (minibatches, as RecBole) or sgd (LearnBPR)");
    /** Adam's batch. */
    public static final HyperParameter<Integer> BATCH_SIZE = HyperParameter.integer("batch_size", 2048, 1, 1 << 20,
        "Adam: triples per step");

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<BprConfig> PARAMETERS = Hyperparameters.<BprConfig>builder()
        .add(DIMS, BprConfig::dims)
        .add(EPOCHS, BprConfig::epochs)
        .add(LEARNING_RATE, BprConfig::learningRate)
        .add(REGULARIZATION, BprConfig::regularization)
        .add(INIT_STD, BprConfig::initStd)
        .add(OPTIMIZER, BprConfig::optimizer)
        .add(BATCH_SIZE, BprConfig::batchSize)
        .fact("negative_sampling", "uniform")
        .build((v, seed) -> new BprConfig(v.get(DIMS), v.get(EPOCHS), v.get(LEARNING_RATE), v.get(REGULARIZATION), v.get(INIT_STD),
            v.get(OPTIMIZER), v.get(BATCH_SIZE), seed));

    /** Validates every parameter against its declaration, naming the option at fault. */
    public BprConfig {
        DIMS.check(dims);
        EPOCHS.check(epochs);
        LEARNING_RATE.check(learningRate);
        REGULARIZATION.check(regularization);
        INIT_STD.check(initStd);
        OPTIMIZER.check(optimizer);
        BATCH_SIZE.check(batchSize);
    }

    /** @return every default, with {@code epochs} and {@code seed} */
    public static BprConfig defaults(int epochs, long seed) {
        return new BprConfig(DIMS.defaultValue(), epochs, LEARNING_RATE.defaultValue(), REGULARIZATION.defaultValue(), INIT_STD.defaultValue(),
            OPTIMIZER.defaultValue(), BATCH_SIZE.defaultValue(), seed);
    }

    /** @return the hyper-parameters by name, as recorded in the manifest */
    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
