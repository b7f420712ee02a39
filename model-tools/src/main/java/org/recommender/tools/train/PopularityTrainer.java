package org.recommender.tools.train;

import org.recommender.tools.data.UserItemMatrix;

import java.util.Map;

/** "Trains" the {@link PopularityModel}: the non-personalized baseline every evaluation table includes. */
public final class PopularityTrainer implements Trainer {
    /** The baseline's name. */
    public static final String NAME = PopularityModel.NAME;

    @Override
    public boolean usesSeed() {
        return false;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return 1;
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        PopularityModel model = new PopularityModel(data);
        control.steps(1);
        return model;
    }
}
