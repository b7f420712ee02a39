package org.recommender.tools.train.sequence;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.data.UserSequences;
import org.recommender.tools.train.ConfiguredTrainer;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.VectorModule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SASRec (Kang &amp; McAuley, <i>Self-Attentive Sequential Recommendation</i>, ICDM 2018) with a hand-written forward
 * and backward pass ({@link SasRecNetwork}): trained on each user's time-ordered training items, next item predicted at every position
 * of left-padded windows, and exported as the item table (a {@code dot} model over it) plus a {@code sasrec} encoder
 * bundle. Needs a split that keeps time order ({@link UserItemMatrix#sequences()}).
 *
 * <p>Determinism: initial weights, window order and dropout masks come from one {@link SplittableRandom} seeded by
 * {@code --seed}, and gradients are summed in a fixed order whatever the number of cores, so a run repeats bit for bit.
 */
public final class SasRecTrainer extends ConfiguredTrainer<SasRecConfig> {
    /** The algorithm's name. */
    public static final String NAME = "sasrec";
    /** The layer norms' epsilon, recorded in the bundle; small beside unit variance, as in Kang &amp; McAuley's code (1e-8). */
    static final double LAYER_NORM_EPSILON = 1e-8;

    /** @param config hyper-parameters */
    public SasRecTrainer(SasRecConfig config) {
        super(NAME, config);
    }

    @Override
    public boolean needsOrder() {
        return true;
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return SequenceTraining.totalSteps(data, config.maxLength(), config.epochs());
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        VectorModule.require(NAME);
        UserSequences sequences = SequenceTraining.sequences(NAME, data);
        SplittableRandom random = new SplittableRandom(config.seed());
        SasRecLayout layout = new SasRecLayout(data.items(), config.dims(), config.maxLength(), config.heads(), config.blocks(), config.ffnWidth());
        SasRecNetwork network = new SasRecNetwork(layout, config.inputScale(), LAYER_NORM_EPSILON, config.dropout(), config.learningRate(),
            config.initStd(), random);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("trained_by", "model-tools " + NAME);
        metadata.put("hyper_parameters", config.asMap());
        return SequenceTraining.run(NAME, network, sequences, config.epochs(), config.batchSize(), random,
            SasRecConfig.LEARNING_RATE.hint("lower", config.learningRate()), metadata, control);
    }
}
