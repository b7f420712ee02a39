package org.recommender.tools.train.neural;

import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.List;
import java.util.Map;

/**
 * Hyper-parameters of the neural collaborative filtering trainers, NeuMF and NCF-MLP ({@link NcfTrainer})
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
    /** GMF embedding length (the paper's "predictive factors"); NeuMF only. */
    public static final HyperParameter<Integer> GMF_DIMS = HyperParameter.integer("gmf_dims", 16, 1, EmbeddingValidator.MAX_DIMENSIONS / 2,
        "GMF embedding length (default: 16 if --dims is 32, else --dims)");
    /** MLP embedding length per side, set with {@code --dims}. */
    public static final HyperParameter<Integer> MLP_DIMS = HyperParameter.dims(32, EmbeddingValidator.MAX_DIMENSIONS / 2,
        "MLP embedding length per side (the tower's input is twice this)").recordedAs("mlp_dims");
    /** The MLP tower: halving per layer, as in the paper's tower pattern. */
    public static final HyperParameter<List<Integer>> LAYERS = HyperParameter.integers("layers", List.of(32, 16), 32, 1, 16384,
        "output sizes of the tower's ReLU layers, e.g. 64,32,16");
    /** Negatives per positive (the paper found 3–6 best). */
    public static final HyperParameter<Integer> NEGATIVES = HyperParameter.integer("negatives", 4, 1, 100,
        "non-interacted items sampled per positive, each epoch");
    /** Passes over the training positives. */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(20, "passes over the training positives");
    /** Pre-training epochs: none by default (NeuMF trains from random weights). */
    public static final HyperParameter<Integer> PRETRAIN_EPOCHS = HyperParameter.integer("pretrain_epochs", 0, 0, Integer.MAX_VALUE,
        "0: none; n: GMF and MLP n epochs each, then NeuMF from both (α = 0.5, SGD)");
    /** Adam step size. */
    public static final HyperParameter<Double> LEARNING_RATE = HyperParameter.real("learning_rate", 0.001, 0, true, 1, false, "Adam step size")
        .searched(SearchRange.logUniform(0.0001, 0.01));
    /** L2 penalty. */
    public static final HyperParameter<Double> L2 = HyperParameter.real("l2", 0, 0, false, 1, false,
        "L2 penalty on weights and embeddings (not biases); 0: off");
    /**
     * Minibatch: 1,024 rather than the paper's 256, because each DL4J minibatch has a fixed native-call overhead that
     * dominates small models on CPU; 1,024 rows per call train ~3× faster per epoch.
     */
    public static final HyperParameter<Integer> BATCH_SIZE = HyperParameter.integer("batch_size", 1024, 1, 1 << 20, "(user, item, label) rows per minibatch");

    /** NeuMF's declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<NcfConfig> NEUMF_PARAMETERS = declare(true);
    /** NCF-MLP's declarations: NeuMF's without the GMF part and its pre-training. */
    public static final Hyperparameters<NcfConfig> MLP_PARAMETERS = declare(false);

    private static Hyperparameters<NcfConfig> declare(boolean withGmf) {
        Hyperparameters.Builder<NcfConfig> b = Hyperparameters.builder();
        if (withGmf) {
            b.add(GMF_DIMS, NcfConfig::gmfDims);
        }
        b.add(MLP_DIMS, NcfConfig::mlpDims).add(LAYERS, NcfConfig::layers).add(NEGATIVES, NcfConfig::negatives).add(EPOCHS, NcfConfig::epochs);
        if (withGmf) {
            b.add(PRETRAIN_EPOCHS, NcfConfig::pretrainEpochs);
        }
        b.add(LEARNING_RATE, NcfConfig::learningRate).add(L2, NcfConfig::l2).add(BATCH_SIZE, NcfConfig::batchSize);
        b.fact("negative_sampling", "uniform").fact("optimizer", "adam");
        return b.build((v, seed) -> {
            int mlp = v.get(MLP_DIMS);
            // the paper's sizes by default; a chosen --dims sizes both parts alike unless gmf_dims says otherwise
            int gmf = withGmf && v.given(GMF_DIMS) ? v.get(GMF_DIMS) : mlp == MLP_DIMS.defaultValue() ? GMF_DIMS.defaultValue() : mlp;
            return new NcfConfig(gmf, mlp, v.get(LAYERS), v.get(NEGATIVES), v.get(EPOCHS), withGmf ? v.get(PRETRAIN_EPOCHS) : 0, v.get(LEARNING_RATE),
                v.get(L2), v.get(BATCH_SIZE), seed);
        });
    }

    /** Validates every parameter against its declaration, naming the option at fault. */
    public NcfConfig {
        GMF_DIMS.check(gmfDims);
        MLP_DIMS.check(mlpDims);
        layers = LAYERS.check(layers == null ? null : List.copyOf(layers));
        NEGATIVES.check(negatives);
        EPOCHS.check(epochs);
        PRETRAIN_EPOCHS.check(pretrainEpochs);
        LEARNING_RATE.check(learningRate);
        L2.check(l2);
        BATCH_SIZE.check(batchSize);
    }

    /**
     * @param withGmf whether the GMF part is trained (NeuMF) or not (MLP)
     * @return the hyper-parameters by name, as recorded in the manifest
     */
    public Map<String, Object> asMap(boolean withGmf) {
        Map<String, Object> m = (withGmf ? NEUMF_PARAMETERS : MLP_PARAMETERS).recorded(this);
        if (withGmf && pretrainEpochs > 0) {
            m.put("pretrain_alpha", NcfTraining.PRETRAIN_ALPHA);
            m.put("finetune_optimizer", "sgd");
        }
        return m;
    }
}
