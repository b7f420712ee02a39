package org.recommender.tools.train.sequence;

import org.recommender.tools.train.TrainerConfig;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.Map;

/**
 * Hyper-parameters of {@link SasRecTrainer}; defaults follow the paper's and RecBole's ML settings scaled to ML-100K
 * (d 64, 2 blocks, 1 head, feed-forward width d, Adam 1e-3, dropout 0.2, window 50).
 *
 * @param dims d, the item and user vector dimension
 * @param epochs passes over the training windows
 * @param maxLength M, the window length and the encoder's {@code max_length}
 * @param blocks self-attention blocks
 * @param heads attention heads (must divide {@code dims})
 * @param ffnDims feed-forward width
 * @param dropout share of units dropped in training
 * @param learningRate Adam step size
 * @param batchSize windows per minibatch
 * @param inputScale multiplies item vectors before the position row is added (recorded in the bundle)
 * @param initStd standard deviation of the normal initial weights
 * @param seed seeds initial weights, window order and dropout masks
 */
public record SasRecConfig(int dims, int epochs, int maxLength, int blocks, int heads, int ffnDims, double dropout, double learningRate,
    int batchSize, double inputScale, double initStd, long seed) implements TrainerConfig {
    /** d. */
    public static final HyperParameter<Integer> DIMS = HyperParameter.dims(64, 1024, "item and user vector dimension")
        .searched(SearchRange.oneOf(32, 64, 128));
    /** The most epochs; early stopping decides. */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(200, "passes over the training windows");
    /** M. */
    public static final HyperParameter<Integer> MAX_LENGTH = HyperParameter.integer("max_length", 50, 1, 1024,
        "window: the newest items one encoding reads");
    /** Blocks. */
    public static final HyperParameter<Integer> BLOCKS = HyperParameter.integer("blocks", 2, 1, 16, "self-attention blocks")
        .searched(SearchRange.oneOf(1, 2, 3));
    /** Heads. */
    public static final HyperParameter<Integer> HEADS = HyperParameter.integer("heads", 1, 1, 64, "attention heads, dividing dims");
    /** Feed-forward width; 0 means d. */
    public static final HyperParameter<Integer> FFN_DIMS = HyperParameter.integer("ffn_dims", 0, 0, 16384, "feed-forward width; 0: dims");
    /** Dropout. */
    public static final HyperParameter<Double> DROPOUT = HyperParameter.real("dropout", 0.2, 0, false, 1, true,
        "share of units dropped in training").searched(SearchRange.uniform(0.1, 0.6));
    /** Adam step size. */
    public static final HyperParameter<Double> LEARNING_RATE = HyperParameter.real("learning_rate", 0.001, 0, true, 1, false, "Adam step size")
        .searched(SearchRange.logUniform(0.0003, 0.005));
    /** Minibatch. */
    public static final HyperParameter<Integer> BATCH_SIZE = HyperParameter.integer("batch_size", 128, 1, 1 << 16, "windows per minibatch");
    /** Input scale. */
    public static final HyperParameter<Double> INPUT_SCALE = HyperParameter.real("input_scale", 1, 0, true, 1e4, false,
        "item vector factor before positions are added");
    /** Initial weights' spread, RecBole's. */
    public static final HyperParameter<Double> INIT_STD = HyperParameter.real("init_std", 0.02, 0, true, 10, false, "std of the normal initial weights");

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<SasRecConfig> PARAMETERS = Hyperparameters.<SasRecConfig>builder()
        .add(DIMS, SasRecConfig::dims)
        .add(EPOCHS, SasRecConfig::epochs)
        .add(MAX_LENGTH, SasRecConfig::maxLength)
        .add(BLOCKS, SasRecConfig::blocks)
        .add(HEADS, SasRecConfig::heads)
        .add(FFN_DIMS, SasRecConfig::ffnDims)
        .add(DROPOUT, SasRecConfig::dropout)
        .add(LEARNING_RATE, SasRecConfig::learningRate)
        .add(BATCH_SIZE, SasRecConfig::batchSize)
        .add(INPUT_SCALE, SasRecConfig::inputScale)
        .add(INIT_STD, SasRecConfig::initStd)
        .fact("optimizer", "adam")
        .fact("loss", "next-item softmax cross-entropy over all items, every position")
        .build((v, seed) -> new SasRecConfig(v.get(DIMS), v.get(EPOCHS), v.get(MAX_LENGTH), v.get(BLOCKS), v.get(HEADS), v.get(FFN_DIMS),
            v.get(DROPOUT), v.get(LEARNING_RATE), v.get(BATCH_SIZE), v.get(INPUT_SCALE), v.get(INIT_STD), seed));

    /** Validates every parameter against its declaration, naming the option at fault. */
    public SasRecConfig {
        DIMS.check(dims);
        EPOCHS.check(epochs);
        MAX_LENGTH.check(maxLength);
        BLOCKS.check(blocks);
        HEADS.check(heads);
        FFN_DIMS.check(ffnDims);
        DROPOUT.check(dropout);
        LEARNING_RATE.check(learningRate);
        BATCH_SIZE.check(batchSize);
        INPUT_SCALE.check(inputScale);
        INIT_STD.check(initStd);
        if (dims % heads != 0) {
            throw new IllegalArgumentException("-P heads (" + heads + ") must divide --dims (" + dims + ")");
        }
    }

    /** @return the feed-forward width in use (d when {@code ffn_dims} is 0) */
    public int ffnWidth() {
        return ffnDims == 0 ? dims : ffnDims;
    }

    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
