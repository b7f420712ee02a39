package org.recommender.tools.train.neighbors;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.Map;

/**
 * ItemKNN, item-based collaborative filtering with shrunk cosine similarity, as Ferrari Dacrema et al. (RecSys 2019,
 * "Are we really making much progress?") run it as a baseline: over the binary user × item matrix,
 * {@code W[i][j] = |U_i ∩ U_j| / (√|U_i|·√|U_j| + shrink)} for {@code j ≠ i}, each row cut to its {@code neighbors}
 * largest weights, and a user scored as the sum of the rows of the user's items. Deterministic.
 */
public final class ItemKnnTrainer implements Trainer {
    /** The algorithm's name. */
    public static final String NAME = "itemknn";

    /** Neighbours kept per item (Dacrema et al.'s search space: 5 to 1,000). */
    public static final HyperParameter<Integer> NEIGHBORS = HyperParameter.integer("neighbors", 100, 1, 10_000, "neighbours kept per item")
        .searched(SearchRange.oneOf(5, 20, 50, 100, 200, 500, 1000));
    /** The shrink term, which damps similarities resting on few common users. */
    public static final HyperParameter<Double> SHRINK = HyperParameter.real("shrink", 10, 0, false, 1e6, false,
        "shrink added to the cosine's denominator").searched(SearchRange.uniform(0, 1000));
    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<ItemKnnTrainer> PARAMETERS = Hyperparameters.<ItemKnnTrainer>builder()
        .add(NEIGHBORS, ItemKnnTrainer::neighbors)
        .add(SHRINK, ItemKnnTrainer::shrink)
        .build((v, seed) -> new ItemKnnTrainer(v.get(NEIGHBORS), v.get(SHRINK)));

    private final int neighbors;
    private final double shrink;

    /**
     * @param neighbors neighbours kept per item, in the range {@link #NEIGHBORS} declares
     * @param shrink the shrink term, in the range {@link #SHRINK} declares
     */
    public ItemKnnTrainer(int neighbors, double shrink) {
        this.neighbors = NEIGHBORS.check(neighbors);
        this.shrink = SHRINK.check(shrink);
    }

    int neighbors() {
        return neighbors;
    }

    double shrink() {
        return shrink;
    }

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
        return PARAMETERS.recorded(this);
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return data.items();
    }

    @Override
    public void requireServable(UserItemMatrix data) {
        ItemNeighbors.requireServable(NAME, data);
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        UserItemMatrix audiences = data.transpose();
        int[] counts = new int[data.items()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = audiences.rowLength(i);
        }
        ItemNeighbors model = ItemNeighbors.build(NAME, data, neighbors, (i, row, touched) -> {
            for (int u : audiences.itemsOf(i)) {
                for (int j : data.itemsOf(u)) {
                    if (row[j] == 0) {
                        touched[++touched[0]] = j;
                    }
                    row[j] += 1; // co-occurrence counts, exact in float up to 2^24 users
                }
            }
            double rootI = Math.sqrt(counts[i]);
            for (int t = 1; t <= touched[0]; t++) {
                int j = touched[t];
                row[j] = (float) (row[j] / (rootI * Math.sqrt(counts[j]) + shrink));
            }
        }, control);
        control.epochDone(1, 0, model, () -> {});
        return model;
    }
}
