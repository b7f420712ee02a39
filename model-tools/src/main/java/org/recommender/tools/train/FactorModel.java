package org.recommender.tools.train;

import org.recommender.core.model.ModelBundle;
import org.recommender.core.scoring.SimdDotKernel;
import org.recommender.core.vector.VectorSimilarity;

/**
 * User and item factor matrices whose dot product, plus a constant, is the score: exactly what the plugin's
 * {@code dot} model computes from the exported embeddings, so offline and online rankings agree. Biased models
 * (SVD, explicit ALS) fold their biases into the vectors — user {@code [p, b_u, 1]}, item {@code [q, 1, b_i]} —
 * and keep the global mean as the constant.
 */
public final class FactorModel implements TrainedModel {
    private final String name;
    private final float[][] userFactors;
    private final float[][] itemFactors;
    private final float globalBias;

    /**
     * @param name the algorithm's name
     * @param userFactors one vector per user index
     * @param itemFactors one vector per item index, same dimension
     */
    public FactorModel(String name, float[][] userFactors, float[][] itemFactors) {
        this(name, userFactors, itemFactors, 0f);
    }

    /**
     * @param name the algorithm's name
     * @param userFactors one vector per user index
     * @param itemFactors one vector per item index, same dimension
     * @param globalBias added to every score
     */
    public FactorModel(String name, float[][] userFactors, float[][] itemFactors, float globalBias) {
        this.name = name;
        this.userFactors = userFactors;
        this.itemFactors = itemFactors;
        this.globalBias = globalBias;
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
        if (globalBias != 0f) {
            for (int i = 0; i < itemFactors.length; i++) {
                out[i] += globalBias;
            }
        }
    }

    @Override
    public float predict(int user, int item) {
        float[] u = userFactors[user];
        float[] v = itemFactors[item];
        float s = 0;
        for (int f = 0; f < u.length; f++) {
            s += u[f] * v[f];
        }
        return s + globalBias;
    }

    @Override
    public ServingExport export() {
        ModelBundle bundle = ModelBundle.builder("dot").dims(dims()).globalBias(globalBias).metadata("trained_by", "model-tools " + name).build();
        return new ServingExport(dims(), dims(), VectorSimilarity.DOT_PRODUCT.externalName(), this::user, this::item, bundle);
    }

    /** @return a deep copy, for keeping the best epoch while training goes on */
    public FactorModel copy() {
        return new FactorModel(name, deepCopy(userFactors), deepCopy(itemFactors), globalBias);
    }

    /** @return a copy of {@code m} that shares no row with it */
    public static float[][] deepCopy(float[][] m) {
        return java.util.Arrays.stream(m).map(float[]::clone).toArray(float[][]::new);
    }

    @Override
    public String name() {
        return name;
    }
}
