package org.recommender.tools.train.neural;

import org.recommender.tools.train.TrainerConfig;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.Map;

/**
 * Hyper-parameters of {@link MultDaeTrainer}.
 *
 * @param hidden width of the tanh bottleneck (the exported vectors have one more dimension)
 * @param epochs passes over the users
 * @param learningRate Adam step size
 * @param l2 L2 penalty on the encoder and decoder weights (not biases); 0 turns it off
 * @param dropout share of the input items dropped per user and minibatch, in [0, 1); the paper uses 0.5
 * @param batchSize users per minibatch
 * @param seed seeds DL4J's weight initialisation and dropout, and the user order
 */
public record MultDaeConfig(int hidden, int epochs, double learningRate, double l2, double dropout, int batchSize, long seed) implements TrainerConfig {
    /** Bottleneck width, set with {@code --dims} (the paper's 600 suits 10k+ items; 200 trains faster and serves smaller vectors). */
    public static final HyperParameter<Integer> HIDDEN = HyperParameter.dims(200, 4095, "width of the tanh bottleneck (served vectors have 1 more)")
        .recordedAs("hidden");
    /** Passes over the users. */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(50, "passes over the users");
    /** Adam step size, as in the paper. */
    public static final HyperParameter<Double> LEARNING_RATE = HyperParameter.real("learning_rate", 0.001, 0, true, 1, false, "Adam step size")
        .searched(SearchRange.logUniform(0.0001, 0.01));
    /** L2 penalty: small, as the paper's weight decay. */
    public static final HyperParameter<Double> L2 = HyperParameter.real("l2", 1e-5, 0, false, 1, false, "L2 penalty on the weights (not biases); 0: off");
    /** Input dropout, as in the paper. */
    public static final HyperParameter<Double> DROPOUT = HyperParameter.real("dropout", 0.5, 0, false, 1, true,
        "share of each user's input items dropped per minibatch").searched(SearchRange.uniform(0.1, 0.7));
    /** Users per minibatch (the paper uses 500). */
    public static final HyperParameter<Integer> BATCH_SIZE = HyperParameter.integer("batch_size", 500, 1, 1 << 16, "users per minibatch");

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<MultDaeConfig> PARAMETERS = Hyperparameters.<MultDaeConfig>builder()
        .add(HIDDEN, MultDaeConfig::hidden)
        .add(EPOCHS, MultDaeConfig::epochs)
        .add(LEARNING_RATE, MultDaeConfig::learningRate)
        .add(L2, MultDaeConfig::l2)
        .add(DROPOUT, MultDaeConfig::dropout)
        .add(BATCH_SIZE, MultDaeConfig::batchSize)
        .fact("optimizer", "adam")
        .fact("loss", "multinomial")
        .build((v, seed) -> new MultDaeConfig(v.get(HIDDEN), v.get(EPOCHS), v.get(LEARNING_RATE), v.get(L2), v.get(DROPOUT), v.get(BATCH_SIZE), seed));

    /** Validates every parameter against its declaration, naming the option at fault. */
    public MultDaeConfig {
        HIDDEN.check(hidden);
        EPOCHS.check(epochs);
        LEARNING_RATE.check(learningRate);
        L2.check(l2);
        DROPOUT.check(dropout);
        BATCH_SIZE.check(batchSize);
    }

    /** @return the hyper-parameters by name, as recorded in the manifest */
    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
