package org.recommender.tools.train.neural;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;

import java.util.Map;

/**
 * The two trainable models of Neural Collaborative Filtering (He, Liao, Zhang, Nie, Hu, Chua, WWW 2017), on DL4J,
 * trained with binary cross-entropy and Adam on every positive plus uniformly sampled negatives:
 * <ul>
 *   <li>{@link #neumf NeuMF}: a GMF part (element-wise product of user and item embeddings) and an MLP part (a ReLU
 *   tower over the concatenated embeddings) joined in one sigmoid output; exported as the plugin's {@code neumf}
 *   bundle. With {@link NcfConfig#pretrainEpochs()} above 0 it first pre-trains GMF and MLP and starts from both
 *   (α = 0.5), as the paper does.</li>
 *   <li>{@link #mlp MLP} (section 3.3): NeuMF without its GMF part ({@link NcfConfig#gmfDims()} and
 *   {@link NcfConfig#pretrainEpochs()} are ignored); exported as the {@code mlp} bundle with input
 *   {@code ["user", "item"]}.</li>
 * </ul>
 * See {@link NcfNetwork} for the graph and {@link NcfModel} for scoring.
 *
 * <p>Determinism: the same seed gives the same initial weights, negatives and minibatch order. With one native
 * thread ({@code OMP_NUM_THREADS=1}, or ND4J's thread limits set to 1, as the tests do) repeated runs were bit-identical
 * on one machine; with several threads OpenBLAS / OpenMP may sum in varying order, so runs should be expected to
 * agree closely, not bit for bit, and nothing is promised across machines or ND4J versions.
 */
public final class NcfTrainer implements Trainer {
    /** NeuMF's name in manifests and tables (and the bundle type it exports). */
    public static final String NEUMF = "neumf";
    /** The MLP model's name (and the bundle type it exports). */
    public static final String MLP = "mlp";

    private final NcfConfig config;
    private final boolean withGmf;

    private NcfTrainer(NcfConfig config, boolean withGmf) {
        this.config = config;
        this.withGmf = withGmf;
    }

    /** @return a NeuMF trainer */
    public static NcfTrainer neumf(NcfConfig config) {
        return new NcfTrainer(config, true);
    }

    /** @return an NCF-MLP trainer */
    public static NcfTrainer mlp(NcfConfig config) {
        return new NcfTrainer(config, false);
    }

    @Override
    public String name() {
        return withGmf ? NEUMF : MLP;
    }

    @Override
    public Map<String, Object> parameters() {
        return config.asMap(withGmf);
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return NcfTraining.rowsPerEpoch(data, config) * NcfTraining.totalEpochs(config, withGmf);
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        return NcfTraining.fit(name(), data, control, config, withGmf);
    }

    /** @return the hyper-parameters */
    public NcfConfig config() {
        return config;
    }
}
