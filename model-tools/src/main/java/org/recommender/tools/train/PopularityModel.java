package org.recommender.tools.train;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.eval.ItemScorer;

/**
 * The non-personalized baseline: every user gets items ranked by how many training users interacted with them. A
 * model that does not beat it has learned nothing about individual users.
 */
public final class PopularityModel implements ItemScorer {
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
    public String name() {
        return "popularity";
    }
}
