package org.recommender.tools.train.neural;

import java.util.LinkedHashMap;
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
public record MultDaeConfig(int hidden, int epochs, double learningRate, double l2, double dropout, int batchSize, long seed) {
    /** Default bottleneck width (the paper's 600 suits 10k+ items; 200 trains faster and serves smaller vectors). */
    public static final int DEFAULT_HIDDEN = 200;
    /** Default epochs. */
    public static final int DEFAULT_EPOCHS = 50;
    /** Default Adam learning rate, as in the paper. */
    public static final double DEFAULT_LEARNING_RATE = 0.001;
    /** Default L2 penalty: small, as the paper's weight decay. */
    public static final double DEFAULT_L2 = 1e-5;
    /** Default input dropout, as in the paper. */
    public static final double DEFAULT_DROPOUT = 0.5;
    /** Default users per minibatch (the paper uses 500). */
    public static final int DEFAULT_BATCH_SIZE = 500;

    /** Validates every parameter, naming the option at fault. */
    public MultDaeConfig {
        if (hidden < 1 || hidden > 4095) {
            throw new IllegalArgumentException("--hidden must be between 1 and 4095 but was " + hidden);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1 but was " + epochs);
        }
        if ((learningRate > 0 && learningRate <= 1) == false) {
            throw new IllegalArgumentException("--learning-rate must be in (0, 1] but was " + learningRate);
        }
        if ((l2 >= 0 && l2 <= 1) == false) {
            throw new IllegalArgumentException("--l2 must be in [0, 1] but was " + l2);
        }
        if ((dropout >= 0 && dropout < 1) == false) {
            throw new IllegalArgumentException("--dropout must be in [0, 1) but was " + dropout);
        }
        if (batchSize < 1 || batchSize > 1 << 16) {
            throw new IllegalArgumentException("--batch-size must be between 1 and " + (1 << 16) + " but was " + batchSize);
        }
    }

    /** @return the defaults with the given epochs and seed */
    public static MultDaeConfig defaults(int epochs, long seed) {
        return new MultDaeConfig(DEFAULT_HIDDEN, epochs, DEFAULT_LEARNING_RATE, DEFAULT_L2, DEFAULT_DROPOUT, DEFAULT_BATCH_SIZE, seed);
    }

    /** @return the hyper-parameters by name, as recorded in the manifest */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", hidden);
        m.put("epochs", epochs);
        m.put("learning_rate", learningRate);
        m.put("l2", l2);
        m.put("dropout", dropout);
        m.put("batch_size", batchSize);
        m.put("optimizer", "adam");
        m.put("loss", "multinomial");
        return m;
    }
}
