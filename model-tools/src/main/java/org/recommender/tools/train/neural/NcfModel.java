package org.recommender.tools.train.neural;

import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;

/**
 * A trained NeuMF or NCF-MLP model as the plugin serves it: one vector per user and per item and the {@code neumf} /
 * {@code mlp} bundle that combines them. Scores are the network's logit (the bundle's output activation is identity):
 * the sigmoid the network was trained through is monotone, so rankings are the same.
 *
 * <p>Evaluation scores through the compiled bundle rather than the DL4J graph, so what is measured is exactly what
 * is served, and a whole catalogue is one batched call (the core library's ND4J kernel folds the user into the first
 * layer once, then runs every item through the layers as matrix products). Immutable and thread-safe.
 */
public final class NcfModel implements TrainedModel {
    private final String name;
    private final float[][] users;
    private final float[][] items;
    private final ModelBundle bundle;
    private final ScoringModel scoring;

    NcfModel(String name, float[][] users, float[][] items, ModelBundle bundle) {
        this.name = name;
        this.users = users;
        this.items = items;
        this.bundle = bundle;
        this.scoring = bundle.compile();
    }

    @Override
    public void scoreAll(int user, float[] out) {
        scoring.score(users[user], items, items.length, out);
    }

    @Override
    public float predict(int user, int item) {
        return scoring.score(users[user], items[item]);
    }

    @Override
    public ServingExport export() {
        // the vectors are read through a neural bundle, not compared by similarity; dot_product is the field
        // similarity that keeps them unnormalised
        return new ServingExport(users[0].length, items[0].length, VectorSimilarity.DOT_PRODUCT.externalName(), u -> users[u].clone(),
            i -> items[i].clone(), bundle);
    }

    /** @return the number of items */
    public int items() {
        return items.length;
    }

    @Override
    public String name() {
        return name;
    }
}
