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
 * RP³β (Paudel et al., "Updatable, accurate, diverse, and scalable recommendations for interactive applications",
 * TiiS 2017), a three-step random walk item → user → item with the popularity of the arrival item discounted, as
 * Ferrari Dacrema et al. (RecSys 2019) run it: over the binary matrix, with transition probabilities raised to
 * {@code alpha},
 * {@code W[i][j] = (1/|U_i|)^α · Σ_{u ∈ U_i ∩ U_j} (1/|I_u|)^α / |U_j|^β} for {@code j ≠ i}, each row cut to its
 * {@code neighbors} largest weights, and a user scored as the sum of the rows of the user's items. Deterministic.
 */
public final class Rp3BetaTrainer implements Trainer {
    /** The algorithm's name. */
    public static final String NAME = "rp3beta";

    /** Neighbours kept per item. */
    public static final HyperParameter<Integer> NEIGHBORS = HyperParameter.integer("neighbors", 100, 1, 10_000, "neighbours kept per item")
        .searched(SearchRange.oneOf(5, 20, 50, 100, 200, 500, 1000));
    /** The power the transition probabilities are raised to (1: the plain random walk). */
    public static final HyperParameter<Double> ALPHA = HyperParameter.real("alpha", 1.0, 0, true, 4, false,
        "power α of the walk's transition probabilities").searched(SearchRange.uniform(0.05, 2));
    /** The popularity discount of the arrival item (0: none, P³α). */
    public static final HyperParameter<Double> BETA = HyperParameter.real("beta", 0.6, 0, false, 2, false,
        "popularity discount β of the arrival item").searched(SearchRange.uniform(0, 2));
    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<Rp3BetaTrainer> PARAMETERS = Hyperparameters.<Rp3BetaTrainer>builder()
        .add(NEIGHBORS, Rp3BetaTrainer::neighbors)
        .add(ALPHA, Rp3BetaTrainer::alpha)
        .add(BETA, Rp3BetaTrainer::beta)
        .build((v, seed) -> new Rp3BetaTrainer(v.get(NEIGHBORS), v.get(ALPHA), v.get(BETA)));

    private final int neighbors;
    private final double alpha;
    private final double beta;

    /** Each argument in the range its declaration gives. */
    public Rp3BetaTrainer(int neighbors, double alpha, double beta) {
        this.neighbors = NEIGHBORS.check(neighbors);
        this.alpha = ALPHA.check(alpha);
        this.beta = BETA.check(beta);
    }

    int neighbors() {
        return neighbors;
    }

    double alpha() {
        return alpha;
    }

    double beta() {
        return beta;
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
        float[] userStep = new float[data.users()]; // (1/|I_u|)^α: user → item
        for (int u = 0; u < userStep.length; u++) {
            userStep[u] = data.rowLength(u) == 0 ? 0f : (float) Math.pow(1.0 / data.rowLength(u), alpha);
        }
        float[] itemStep = new float[data.items()]; // (1/|U_i|)^α: item → user
        float[] discount = new float[data.items()]; // 1/|U_j|^β
        for (int i = 0; i < itemStep.length; i++) {
            int audience = audiences.rowLength(i);
            itemStep[i] = audience == 0 ? 0f : (float) Math.pow(1.0 / audience, alpha);
            discount[i] = audience == 0 ? 0f : (float) Math.pow(audience, -beta);
        }
        ItemNeighbors model = ItemNeighbors.build(NAME, data, neighbors, (i, row, touched) -> {
            for (int u : audiences.itemsOf(i)) {
                float step = userStep[u];
                for (int j : data.itemsOf(u)) {
                    if (row[j] == 0) {
                        touched[++touched[0]] = j;
                    }
                    row[j] += step;
                }
            }
            for (int t = 1; t <= touched[0]; t++) {
                int j = touched[t];
                row[j] *= itemStep[i] * discount[j];
            }
        }, control);
        control.epochDone(1, 0, model, () -> {});
        return model;
    }
}
