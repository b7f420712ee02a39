package org.recommender.tools.train.sequence;

import org.recommender.core.model.ModelBundle;
import org.recommender.core.vector.HistoryEncoder;
import org.recommender.core.vector.VectorMath;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.tools.data.UserSequences;
import org.recommender.tools.train.HistoryModel;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Users as the mean of their newest {@code maxLength} history items' vectors (core {@link HistoryEncoder#mean}, the
 * plugin's history user), items scored by dot product. Immutable.
 */
final class MeanHistoryModel implements HistoryModel {
    private final String name;
    private final float[][] items;
    private final UserSequences histories;
    private final int maxLength;

    MeanHistoryModel(String name, float[][] items, UserSequences histories, int maxLength) {
        this.name = name;
        this.items = items;
        this.histories = histories;
        this.maxLength = maxLength;
    }

    @Override
    public TrainedModel given(UserSequences other) {
        return new MeanHistoryModel(name, items, other, maxLength);
    }

    private float[] user(int user) {
        int[] newest = histories.latest(user, maxLength);
        if (newest.length == 0) {
            return new float[items[0].length];
        }
        List<float[]> rows = new ArrayList<>(newest.length);
        for (int item : newest) {
            rows.add(items[item]);
        }
        return HistoryEncoder.mean(rows);
    }

    @Override
    public void scoreAll(int user, float[] out) {
        float[] u = user(user);
        for (int i = 0; i < items.length; i++) {
            out[i] = VectorMath.dot(u, items[i]);
        }
    }

    @Override
    public float predict(int user, int item) {
        return VectorMath.dot(user(user), items[item]);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ServingExport export() {
        int dims = items[0].length;
        ModelBundle dot = ModelBundle.builder("dot").dims(dims).metadata("trained_by", "model-tools " + name).build();
        return new ServingExport(dims, dims, VectorSimilarity.DOT_PRODUCT.externalName(), this::user, i -> items[i].clone(), dot);
    }
}
