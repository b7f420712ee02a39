package org.recommender.tools.train.ease;

import org.recommender.core.model.ModelBundle;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;

import java.util.Arrays;

/**
 * A fitted EASE model: the item × item matrix B (row-major) and each user's training items, whose rows of B summed
 * are the user's scores. Served as embeddings: the user's binary history and the item's column of B.
 */
final class EaseModel implements TrainedModel {
    private final UserItemMatrix history;
    private final float[] weights;
    private final int items;

    EaseModel(UserItemMatrix history, float[] weights, int items) {
        this.history = history;
        this.weights = weights;
        this.items = items;
    }

    @Override
    public void scoreAll(int user, float[] out) {
        Arrays.fill(out, 0, items, 0f);
        for (int i : history.itemsOf(user)) {
            int row = i * items;
            for (int j = 0; j < items; j++) {
                out[j] += weights[row + j];
            }
        }
    }

    @Override
    public float predict(int user, int item) {
        float s = 0;
        for (int i : history.itemsOf(user)) {
            s += weights[i * items + item];
        }
        return s;
    }

    @Override
    public ServingExport export() {
        return new ServingExport(items, items, VectorSimilarity.DOT_PRODUCT.externalName(), this::historyVector, this::column, ModelBundle.dot(items));
    }

    private float[] historyVector(int user) {
        float[] x = new float[items];
        for (int i : history.itemsOf(user)) {
            x[i] = 1;
        }
        return x;
    }

    private float[] column(int item) {
        float[] c = new float[items];
        for (int i = 0; i < items; i++) {
            c[i] = weights[i * items + item];
        }
        return c;
    }

    @Override
    public String name() {
        return EaseTrainer.NAME;
    }
}
