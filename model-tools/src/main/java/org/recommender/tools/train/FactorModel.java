package org.recommender.tools.train;

import org.recommender.core.scoring.SimdDotKernel;
import org.recommender.tools.eval.ItemScorer;

/**
 * User and item factor matrices whose dot product is the score: exactly what the plugin's {@code dot_product}
 * similarity computes from the exported embeddings, so offline and online rankings agree.
 */
public final class FactorModel implements ItemScorer {
    private final String name;
    private final float[][] userFactors;
    private final float[][] itemFactors;

    /**
     * @param name the algorithm's name
     * @param userFactors one vector per user index
     * @param itemFactors one vector per item index, same dimension
     */
    public FactorModel(String name, float[][] userFactors, float[][] itemFactors) {
        this.name = name;
        this.userFactors = userFactors;
        this.itemFactors = itemFactors;
    }

    /** @return the vector of user {@code user} (not a copy) */
    public float[] user(int user) {
        return userFactors[user];
    }

    /** @return the vector of item {@code item} (not a copy) */
    public float[] item(int item) {
        return itemFactors[item];
    }

    /** @return number of users */
    public int users() {
        return userFactors.length;
    }

    /** @return number of items */
    public int items() {
        return itemFactors.length;
    }

    /** @return the vector dimension */
    public int dims() {
        return itemFactors.length == 0 ? 0 : itemFactors[0].length;
    }

    @Override
    public void scoreAll(int user, float[] out) {
        SimdDotKernel.INSTANCE.dot(userFactors[user], itemFactors, itemFactors.length, out);
    }

    @Override
    public String name() {
        return name;
    }
}
