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
 * GRU4Rec (Hidasi, Karatzoglou, Baltrunas, Tikk, <i>Session-based Recommendations with Recurrent Neural Networks</i>, ICLR
 * 2016) with a hand-written forward and backward pass through time ({@link Gru4RecNetwork}): trained on each user's
 * time-ordered training items, next item predicted at every position of left-padded windows, and exported as the item table (a {@code dot} model over it) plus a {@code gru4rec} encoder
 * bundle. Needs a split that keeps time order ({@link UserItemMatrix#sequences()}).
 *
 * <p>Determinism: initial weights, window order and dropout masks come from one {@link SplittableRandom} seeded by
 * {@code --seed}, and gradients are summed in a fixed order whatever the number of cores, so a run repeats bit for bit.
 */
public final class Gru4RecTrainer extends ConfiguredTrainer<Gru4RecConfig> {
    /** The algorithm's name. */
    public static final String NAME = "gru4rec";

    /** @param config hyper-parameters */
    public Gru4RecTrainer(Gru4RecConfig config) {
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
        Gru4RecLayout layout = new Gru4RecLayout(data.items(), config.dims(), config.hidden(), config.maxLength());
        Gru4RecNetwork network = new Gru4RecNetwork(layout, config.dropout(), config.learningRate(), config.initStd(), random);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("trained_by", "model-tools " + NAME);
        metadata.put("hyper_parameters", config.asMap());
        return SequenceTraining.run(NAME, network, sequences, config.epochs(), config.batchSize(), random,
            Gru4RecConfig.LEARNING_RATE.hint("lower", config.learningRate()), metadata, control);
    }
}
