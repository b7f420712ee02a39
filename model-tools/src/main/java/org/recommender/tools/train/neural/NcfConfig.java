package org.recommender.tools.train.neural;

import org.recommender.core.vector.EmbeddingValidator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hyper-parameters of the neural collaborative filtering trainers, {@link NcfTrainer} and {@link NcfTrainer}
 * (He et al., <i>Neural Collaborative Filtering</i>, WWW 2017).
 *
 * @param gmfDims length of the GMF embeddings (user and item); used by NeuMF only, ignored by the MLP model
 * @param mlpDims length of each of the MLP embeddings (user and item), so the tower's input is twice this
 * @param layers output sizes of the MLP tower's ReLU layers, in order; at least one (the served formats need a tower)
 * @param negatives non-interacted items sampled uniformly per training positive, every epoch
 * @param epochs passes over the training positives
 * @param pretrainEpochs NeuMF only: 0 trains NeuMF from random weights; more first trains a GMF and an MLP model
 *     separately for this many epochs each (Adam), initialises NeuMF from them with α = 0.5 and then trains it with
 *     plain SGD at {@code learningRate}, as in the paper (section 3.4.1)
 * @param learningRate Adam step size
 * @param l2 L2 penalty on every weight matrix and embedding (not on biases); 0 turns it off
 * @param batchSize (user, item, label) rows per minibatch
 * @param seed seeds DL4J's weight initialisation and the negative sampler
 */
public record NcfConfig(int gmfDims, int mlpDims, List<Integer> layers, int negatives, int epochs, int pretrainEpochs, double learningRate, double l2,
    int batchSize, long seed) {
    /** Default GMF embedding length (the paper's "predictive factors"). */
    public static final int DEFAULT_GMF_DIMS = 16;
    /** Default MLP embedding length per side. */
    public static final int DEFAULT_MLP_DIMS = 32;
    /** Default tower: halving per layer, as in the paper's tower pattern. */
    public static final List<Integer> DEFAULT_LAYERS = List.of(32, 16);
    /** Default negatives per positive (the paper found 3–6 best). */
    public static final int DEFAULT_NEGATIVES = 4;
    /** Default epochs. */
    public static final int DEFAULT_EPOCHS = 20;
    /** Default pre-training epochs: none (NeuMF trains from random weights). */
    public static final int DEFAULT_PRETRAIN_EPOCHS = 0;
    /** Default Adam learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 0.001;
    /** Default L2 penalty. */
    public static final double DEFAULT_L2 = 0.0;
    /**
     * Default minibatch: 1,024 rather than the paper's 256, because each DL4J minibatch has a fixed native-call
     * overhead that dominates small models on CPU; 1,024 rows per call train ~3× faster per epoch.
     */
    public static final int DEFAULT_BATCH_SIZE = 1024;

    /** Validates every parameter, naming the option at fault. */
    public NcfConfig {
        if (gmfDims < 1 || gmfDims > EmbeddingValidator.MAX_DIMENSIONS / 2) {
            throw new IllegalArgumentException("--gmf-dims must be between 1 and " + EmbeddingValidator.MAX_DIMENSIONS / 2 + " but was " + gmfDims);
        }
        if (mlpDims < 1 || mlpDims > EmbeddingValidator.MAX_DIMENSIONS / 2) {
            throw new IllegalArgumentException("--mlp-dims must be between 1 and " + EmbeddingValidator.MAX_DIMENSIONS / 2 + " but was " + mlpDims);
        }
        if (layers == null || layers.isEmpty() || layers.size() > 32) {
            throw new IllegalArgumentException("--layers must list between 1 and 32 layer sizes but was " + layers);
        }
        for (Integer size : layers) {
            if (size == null || size < 1 || size > 16384) {
                throw new IllegalArgumentException("--layers sizes must be between 1 and 16384 but were " + layers);
            }
        }
        layers = List.copyOf(layers);
        if (negatives < 1 || negatives > 100) {
            throw new IllegalArgumentException("--negatives must be between 1 and 100 but was " + negatives);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1 but was " + epochs);
        }
        if (pretrainEpochs < 0) {
            throw new IllegalArgumentException("--pretrain-epochs must be at least 0 but was " + pretrainEpochs);
        }
        if ((learningRate > 0 && learningRate <= 1) == false) {
            throw new IllegalArgumentException("--learning-rate must be in (0, 1] but was " + learningRate);
        }
        if ((l2 >= 0 && l2 <= 1) == false) {
            throw new IllegalArgumentException("--l2 must be in [0, 1] but was " + l2);
        }
        if (batchSize < 1 || batchSize > 1 << 20) {
            throw new IllegalArgumentException("--batch-size must be between 1 and " + (1 << 20) + " but was " + batchSize);
        }
    }

    /** @return the defaults with the given epochs and seed */
    public static NcfConfig defaults(int epochs, long seed) {
        return new NcfConfig(DEFAULT_GMF_DIMS, DEFAULT_MLP_DIMS, DEFAULT_LAYERS, DEFAULT_NEGATIVES, epochs, DEFAULT_PRETRAIN_EPOCHS, DEFAULT_LEARNING_RATE, DEFAULT_L2,
            DEFAULT_BATCH_SIZE, seed);
    }

    /**
     * @param withGmf whether the GMF part is trained (NeuMF) or not (MLP)
     * @return the hyper-parameters by name, as recorded in the manifest
     */
    public Map<String, Object> asMap(boolean withGmf) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (withGmf) {
            m.put("gmf_dims", gmfDims);
        }
        m.put("mlp_dims", mlpDims);
        m.put("layers", layers);
        m.put("negatives", negatives);
        m.put("negative_sampling", "uniform");
        m.put("epochs", epochs);
        if (withGmf && pretrainEpochs > 0) {
            m.put("pretrain_epochs", pretrainEpochs);
            m.put("pretrain_alpha", 0.5);
            m.put("finetune_optimizer", "sgd");
        }
        m.put("learning_rate", learningRate);
        m.put("l2", l2);
        m.put("batch_size", batchSize);
        m.put("optimizer", "adam");
        return m;
    }
}
