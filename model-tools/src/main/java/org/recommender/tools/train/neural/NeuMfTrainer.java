package org.recommender.tools.train.neural;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;

import java.util.Map;

/**
 * Neural matrix factorization, NeuMF (He, Liao, Zhang, Nie, Hu, Chua, <i>Neural Collaborative Filtering</i>, WWW
 * 2017), trained with DL4J: a GMF part (element-wise product of user and item embeddings) and an MLP part (a ReLU
 * tower over the concatenated user and item embeddings) joined in one sigmoid output, trained with binary
 * cross-entropy and Adam on every positive plus uniformly sampled negatives. Exported as the plugin's {@code neumf}
 * bundle; see {@link NcfNetwork} for the graph and {@link NcfModel} for scoring.
 *
 * <p>Determinism: the same seed gives the same initial weights, negatives and minibatch order. With one native
 * thread ({@code OMP_NUM_THREADS=1}, or ND4J's thread limits set to 1, as the tests do) repeated runs were bit-identical
 * on one machine; with several threads OpenBLAS / OpenMP may sum in varying order, so runs should be expected to
 * agree closely, not bit for bit, and nothing is promised across machines or ND4J versions.
 *
 * <p>With {@link NcfConfig#pretrainEpochs()} above 0 it first pre-trains GMF and MLP and starts NeuMF from them (α = 0.5).
 */
public final class NeuMfTrainer implements Trainer {
    /** The algorithm's name in manifests and tables (and the bundle type it exports). */
    public static final String NAME = "neumf";

    private final NcfConfig config;

    /** @param config hyper-parameters */
    public NeuMfTrainer(NcfConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        return config.asMap(true);
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return NcfTraining.rowsPerEpoch(data, config) * NcfTraining.totalEpochs(config, true);
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        return NcfTraining.fit(NAME, data, control, config, true);
    }

    /** @return the hyper-parameters */
    public NcfConfig config() {
        return config;
    }
}
