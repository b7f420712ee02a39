package org.recommender.tools.train.graph;

import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.train.TrainerConfig;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.Map;

/**
 * Hyper-parameters of {@link LightGcnTrainer}; defaults are RecBole's LightGCN configuration (the published Last.fm
 * and ML-1M anchors): 64 dimensions, 2 layers, Adam at 0.001, batches of 2048, L2 weight 1e-5.
 *
 * @param dims embedding dimension
 * @param epochs passes over the training pairs
 * @param layers L, propagation layers (0 is plain BPR-MF)
 * @param learningRate Adam's α
 * @param regularization λ of {@code λ/2 · (‖e⁰_u‖² + ‖e⁰_i‖² + ‖e⁰_j‖²)} per triple, averaged over the batch
 * @param initStd standard deviation of the normal initial layer-0 embeddings
 * @param batchSize triples per Adam step
 * @param seed random seed; the same data, hyper-parameters and seed give identical vectors
 */
public record LightGcnConfig(int dims, int epochs, int layers, double learningRate, double regularization, double initStd, int batchSize, long seed)
    implements TrainerConfig {
    /** Embedding dimension. */
    public static final HyperParameter<Integer> DIMS = HyperParameter.dims(64, EmbeddingValidator.MAX_DIMENSIONS, "embedding dimension")
        .searched(SearchRange.oneOf(64, 128));
    /** Epochs. */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(300, "passes, each over every training pair once");
    /** Layers. */
    public static final HyperParameter<Integer> LAYERS = HyperParameter.integer("layers", 2, 0, 8, "propagation layers L (0: BPR-MF)")
        .searched(SearchRange.oneOf(1, 2, 3));
    /** Adam's α. */
    public static final HyperParameter<Double> LEARNING_RATE = HyperParameter.real("learning_rate", 0.001, 0, true, 1, false, "Adam's step size")
        .searched(SearchRange.logUniform(0.0005, 0.01));
    /** L2 weight. */
    public static final HyperParameter<Double> REGULARIZATION = HyperParameter.real("regularization", 1e-5, 0, false, 10, false,
        "L2 weight on the layer-0 embeddings of each batch's triples").searched(SearchRange.logUniform(1e-6, 1e-2));
    /** Initialisation spread. */
    public static final HyperParameter<Double> INIT_STD = HyperParameter.real("init_std", 0.01, 0, true, 10, false,
        "standard deviation of the normal initial embeddings");
    /** Batch. */
    public static final HyperParameter<Integer> BATCH_SIZE = HyperParameter.integer("batch_size", 2048, 1, 1 << 20, "triples per Adam step");

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<LightGcnConfig> PARAMETERS = Hyperparameters.<LightGcnConfig>builder()
        .add(DIMS, LightGcnConfig::dims)
        .add(EPOCHS, LightGcnConfig::epochs)
        .add(LAYERS, LightGcnConfig::layers)
        .add(LEARNING_RATE, LightGcnConfig::learningRate)
        .add(REGULARIZATION, LightGcnConfig::regularization)
        .add(INIT_STD, LightGcnConfig::initStd)
        .add(BATCH_SIZE, LightGcnConfig::batchSize)
        .fact("negative_sampling", "uniform")
        .build((v, seed) -> new LightGcnConfig(v.get(DIMS), v.get(EPOCHS), v.get(LAYERS), v.get(LEARNING_RATE), v.get(REGULARIZATION),
            v.get(INIT_STD), v.get(BATCH_SIZE), seed));

    /** Validates every parameter against its declaration, naming the option at fault. */
    public LightGcnConfig {
        DIMS.check(dims);
        EPOCHS.check(epochs);
        LAYERS.check(layers);
        LEARNING_RATE.check(learningRate);
        REGULARIZATION.check(regularization);
        INIT_STD.check(initStd);
        BATCH_SIZE.check(batchSize);
    }

    /** @return the hyper-parameters by name, as recorded in the manifest */
    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
