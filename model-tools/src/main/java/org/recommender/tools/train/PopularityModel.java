package org.recommender.tools.train;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.vector.VectorSimilarity;

/**
 * The non-personalized baseline: every user gets items ranked by how many training users interacted with them. A
 * model that does not beat it has learned nothing about individual users. It serves as one-dimensional vectors:
 * every user {@code [1]}, every item {@code [count]}.
 */
public final class PopularityModel implements TrainedModel {
    /** The baseline's name in tables. */
    public static final String NAME = "popularity";
    private final float[] counts;

    /** Counts item popularity in {@code train}. */
    public PopularityModel(UserItemMatrix train) {
        int[] c = train.itemCounts();
        counts = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            counts[i] = c[i];
        }
    }

    @Override
    public void scoreAll(int user, float[] out) {
        System.arraycopy(counts, 0, out, 0, counts.length);
    }

    @Override
    public float predict(int user, int item) {
        return counts[item];
    }

    @Override
    public ServingExport export() {
        float[] one = { 1f };
        return new ServingExport(1, 1, VectorSimilarity.DOT_PRODUCT.externalName(), u -> one, i -> new float[] { counts[i] }, ModelBundle.dot(1));
    }

    @Override
    public String name() {
        return NAME;
    }
}
