package org.recommender.tools.train.sequence;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.ConfiguredTrainer;
import org.recommender.tools.train.FactorModel;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.mf.IalsConfig;
import org.recommender.tools.train.mf.IalsTrainer;

/**
 * The mean-of-history baseline of the sequential table: iALS item vectors (trained, and early-stopped, as {@code ials}
 * is), and each user the plain mean of the vectors of their newest 50 items — what the plugin computes for a history
 * without an encoder. It shows what an encoder adds over averaging recent items. Needs time order, as sequence models do.
 */
public final class MeanHistoryTrainer extends ConfiguredTrainer<IalsConfig> {
    /** The algorithm's name. */
    public static final String NAME = "mean-history";
    /** History items averaged: the newest 50, the window SASRec reads by default. */
    public static final int MAX_LENGTH = 50;

    /** @param config the iALS model whose item vectors are averaged */
    public MeanHistoryTrainer(IalsConfig config) {
        super(NAME, config);
    }

    @Override
    public boolean needsOrder() {
        return true;
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return new IalsTrainer(config).totalSteps(data);
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        var sequences = SequenceTraining.sequences(NAME, data);
        FactorModel ials = (FactorModel) new IalsTrainer(config).fit(data, control);
        float[][] items = new float[ials.items()][];
        for (int i = 0; i < items.length; i++) {
            items[i] = ials.item(i);
        }
        return new MeanHistoryModel(NAME, items, sequences, MAX_LENGTH);
    }
}
