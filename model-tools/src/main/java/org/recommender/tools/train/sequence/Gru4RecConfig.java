package org.recommender.tools.train.sequence;

import org.recommender.tools.train.TrainerConfig;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.Map;

/**
 * Hyper-parameters of {@link Gru4RecTrainer}; defaults d 64, 128 hidden units, window 50, and SASRec's training
 * settings (Adam 1e-3, dropout 0.2, 128 windows a batch), not tuned.
 *
 * @param dims d, the item and user vector dimension
 * @param hidden GRU state width
 * @param epochs passes over the training windows
 * @param maxLength M, the window length and the encoder's {@code max_length}
 * @param dropout share of units dropped in training
 * @param learningRate Adam step size
 * @param batchSize windows per minibatch
 * @param initStd standard deviation of the normal initial item and output weights (the GRU's start uniform in ±1/√H, as
 *     PyTorch's {@code nn.GRU})
 * @param seed seeds initial weights, window order and dropout masks
 */
public record Gru4RecConfig(int dims, int hidden, int epochs, int maxLength, double dropout, double learningRate, int batchSize, double initStd,
    long seed) implements TrainerConfig {
    /** d. */
    public static final HyperParameter<Integer> DIMS = HyperParameter.dims(64, 1024, "item and user vector dimension")
        .searched(SearchRange.oneOf(32, 64, 128));
    /** GRU width. */
    public static final HyperParameter<Integer> HIDDEN = HyperParameter.integer("hidden", 128, 1, 4096, "GRU hidden state width")
        .searched(SearchRange.oneOf(64, 128, 256));
    /** The most epochs; early stopping decides. */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(200, "passes over the training windows");
    /** M. */
    public static final HyperParameter<Integer> MAX_LENGTH = HyperParameter.integer("max_length", 50, 1, 1024,
        "window length: the newest items one encoding reads");
    /** Dropout. */
    public static final HyperParameter<Double> DROPOUT = HyperParameter.real("dropout", 0.2, 0, false, 1, true,
        "share of units dropped in training (item vectors in, states out)").searched(SearchRange.uniform(0.0, 0.5));
    /** Adam step size. */
    public static final HyperParameter<Double> LEARNING_RATE = HyperParameter.real("learning_rate", 0.001, 0, true, 1, false, "Adam step size")
        .searched(SearchRange.logUniform(0.0003, 0.005));
    /** Minibatch. */
    public static final HyperParameter<Integer> BATCH_SIZE = HyperParameter.integer("batch_size", 128, 1, 1 << 16, "windows per minibatch");
    /** Initial weights' spread. */
    public static final HyperParameter<Double> INIT_STD = HyperParameter.real("init_std", 0.02, 0, true, 10, false,
        "std of the normal initial item and output weights");

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<Gru4RecConfig> PARAMETERS = Hyperparameters.<Gru4RecConfig>builder()
        .add(DIMS, Gru4RecConfig::dims)
        .add(HIDDEN, Gru4RecConfig::hidden)
        .add(EPOCHS, Gru4RecConfig::epochs)
        .add(MAX_LENGTH, Gru4RecConfig::maxLength)
        .add(DROPOUT, Gru4RecConfig::dropout)
        .add(LEARNING_RATE, Gru4RecConfig::learningRate)
        .add(BATCH_SIZE, Gru4RecConfig::batchSize)
        .add(INIT_STD, Gru4RecConfig::initStd)
        .fact("optimizer", "adam")
        .fact("loss", "next-item softmax cross-entropy over all items, every position")
        .build((v, seed) -> new Gru4RecConfig(v.get(DIMS), v.get(HIDDEN), v.get(EPOCHS), v.get(MAX_LENGTH), v.get(DROPOUT), v.get(LEARNING_RATE),
            v.get(BATCH_SIZE), v.get(INIT_STD), seed));

    /** Validates every parameter against its declaration, naming the option at fault. */
    public Gru4RecConfig {
        DIMS.check(dims);
        HIDDEN.check(hidden);
        EPOCHS.check(epochs);
        MAX_LENGTH.check(maxLength);
        DROPOUT.check(dropout);
        LEARNING_RATE.check(learningRate);
        BATCH_SIZE.check(batchSize);
        INIT_STD.check(initStd);
    }

    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
