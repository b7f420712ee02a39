package org.recommender.tools.train;


import java.util.function.Supplier;

/**
 * An epoch's model that is only materialised when something uses it: copying a network's weights into a servable
 * snapshot (and, for Mult-DAE, a forward pass over every user) is wasted work when no validator scores the epoch.
 * Memoised, so validation and keep-best see the same snapshot.
 */
final class LazyModel implements TrainedModel {
    private final Supplier<TrainedModel> factory;
    private TrainedModel model;

    LazyModel(Supplier<TrainedModel> factory) {
        this.factory = factory;
    }

    public synchronized TrainedModel get() {
        if (model == null) {
            model = factory.get();
        }
        return model;
    }

    @Override
    public void scoreAll(int user, float[] out) {
        get().scoreAll(user, out);
    }

    @Override
    public float predict(int user, int item) {
        return get().predict(user, item);
    }

    @Override
    public ServingExport export() {
        return get().export();
    }

    @Override
    public String name() {
        return get().name();
    }
}
