package org.recommender.tools.train.graph;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.BprGradient;
import org.recommender.tools.train.ConfiguredTrainer;
import org.recommender.tools.train.DenseAdam;
import org.recommender.tools.train.EpochLoop;
import org.recommender.tools.train.FactorModel;
import org.recommender.tools.train.GaussianInit;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TripleBatches;

import java.util.SplittableRandom;

/**
 * LightGCN (He, Deng, Wang, Li, Zhang, Wang, SIGIR 2020): layer-0 user and item embeddings E⁰ are propagated over
 * the normalised user–item graph, the final embedding of a node is the mean of its layers 0…L, and the BPR loss on
 * the final embeddings trains E⁰ (plus λ/2 of the squared norms of each triple's layer-0 rows). Trained as RecBole
 * trains it: every pair once per epoch in shuffled minibatches with one uniform negative ({@link TripleBatches}),
 * one dense Adam step per batch ({@link DenseAdam}).
 *
 * <p>Each batch propagates E⁰ forward (the final embeddings it scores with) and the batch's gradient back — the same
 * operation, the graph being symmetric ({@link NormalizedGraph}) — so a batch costs 2L sparse passes over the
 * training pairs plus the dense step. Served as a plain {@code dot} model over the final embeddings: propagation is
 * fixed once trained, so users and items are indexed with their final vectors.
 */
public final class LightGcnTrainer extends ConfiguredTrainer<LightGcnConfig> {
    /** The algorithm's name in manifests and tables. */
    public static final String NAME = "lightgcn";

    /** @param config hyper-parameters */
    public LightGcnTrainer(LightGcnConfig config) {
        super(NAME, config);
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return (long) data.nonZeros() * config.epochs();
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        SplittableRandom random = new SplittableRandom(config.seed());
        GaussianInit init = new GaussianInit(random, config.initStd());
        int d = config.dims();
        float[][] users = init.matrix(data.users(), d);
        float[][] items = init.matrix(data.items(), d);
        NormalizedGraph graph = new NormalizedGraph(data);
        DenseAdam adam = new DenseAdam(config.learningRate(), 0, users, items);
        float[][] finalUsers = new float[data.users()][d];
        float[][] finalItems = new float[data.items()][d];
        float[][] userGradient = new float[data.users()][d];
        float[][] itemGradient = new float[data.items()][d];
        float lambda = (float) config.regularization();
        return EpochLoop.run(NAME, config.epochs(), LightGcnConfig.LEARNING_RATE.hint("lower", config.learningRate()), control,
            EpochLoop.of(epoch -> TripleBatches.epoch(data, config.batchSize(), random, control, batch -> {
                graph.layerMean(users, items, config.layers(), finalUsers, finalItems);
                float scale = 1f / batch.size();
                double loss = 0;
                for (int t = 0; t < batch.size(); t++) {
                    loss += BprGradient.add(finalUsers, finalItems, batch.user(t), batch.positive(t), batch.negative(t), scale, userGradient, itemGradient);
                }
                // back to layer 0: the same layer mean, applied to the gradient
                graph.layerMean(userGradient, itemGradient, config.layers(), adam.gradient(0), adam.gradient(1));
                for (int t = 0; t < batch.size(); t++) {
                    addScaled(adam.gradient(0)[batch.user(t)], users[batch.user(t)], lambda * scale);
                    addScaled(adam.gradient(1)[batch.positive(t)], items[batch.positive(t)], lambda * scale);
                    addScaled(adam.gradient(1)[batch.negative(t)], items[batch.negative(t)], lambda * scale);
                }
                clear(userGradient);
                clear(itemGradient);
                adam.step();
                return loss;
            }), () -> model(graph, users, items)));
    }

    /** The final embeddings of the current layer-0 ones, in arrays of their own. */
    private FactorModel model(NormalizedGraph graph, float[][] users, float[][] items) {
        int d = config.dims();
        float[][] u = new float[users.length][d];
        float[][] i = new float[items.length][d];
        graph.layerMean(users, items, config.layers(), u, i);
        return new FactorModel(NAME, u, i);
    }

    private static void addScaled(float[] target, float[] values, float factor) {
        for (int f = 0; f < target.length; f++) {
            target[f] += factor * values[f];
        }
    }

    private static void clear(float[][] matrix) {
        for (float[] row : matrix) {
            java.util.Arrays.fill(row, 0f);
        }
    }
}
