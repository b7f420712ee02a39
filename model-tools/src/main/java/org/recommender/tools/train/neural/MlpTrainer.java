package org.recommender.tools.train.neural;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;

import java.util.Map;

/**
 * The NCF "MLP" model (He et al., <i>Neural Collaborative Filtering</i>, WWW 2017, section 3.3), trained with DL4J:
 * user and item embeddings concatenated into a ReLU tower with one sigmoid output, binary cross-entropy and Adam on
 * every positive plus uniformly sampled negatives; NeuMF without its GMF part ({@link NcfConfig#gmfDims()} and
 * {@link NcfConfig#pretrainEpochs()} are ignored). Exported as the plugin's {@code mlp} bundle with input {@code ["user", "item"]}: the user vector is the
 * user's MLP embedding, the item vector the item's.
 *
 * <p>Determinism: as for {@link NeuMfTrainer}: bit-identical repeats were observed only with one native thread;
 * with several, expect close but not identical results.
 */
public final class MlpTrainer implements Trainer {
    /** The algorithm's name in manifests and tables (and the bundle type it exports). */
    public static final String NAME = "mlp";

    private final NcfConfig config;

    /** @param config hyper-parameters */
    public MlpTrainer(NcfConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        return config.asMap(false);
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return NcfTraining.rowsPerEpoch(data, config) * NcfTraining.totalEpochs(config, false);
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        return NcfTraining.fit(NAME, data, control, config, false);
    }

    /** @return the hyper-parameters */
    public NcfConfig config() {
        return config;
    }
}
