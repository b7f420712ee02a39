package org.recommender.tools.train.mf;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.EpochLoop;
import org.recommender.tools.train.GaussianInit;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.ConfiguredTrainer;
import org.recommender.tools.train.TrainingControl;

import java.util.SplittableRandom;

/**
 * Biased matrix factorization for rating prediction, trained by SGD (Funk 2006; Koren, Bell, Volinsky 2009 — the
 * "SVD" of the Netflix Prize and of Surprise): {@code r̂ = μ + b_u + b_i + p_u·q_i}; for each rating in a shuffled
 * order, with {@code e = r − r̂}: {@code b_u += γ(e − λb_u)}, {@code b_i += γ(e − λb_i)},
 * {@code p_u += γ(e·q_i − λp_u)}, {@code q_i += γ(e·p_u − λq_i)}. Single-threaded and seeded: identical vectors for
 * the same data, parameters and seed.
 */
public final class SvdTrainer extends ConfiguredTrainer<SvdConfig> {
    /** The algorithm's name. */
    public static final String NAME = "svd";


    /** @param config hyper-parameters */
    public SvdTrainer(SvdConfig config) {
        super(NAME, config);
    }



    @Override
    public boolean predictsRatings() {
        return true;
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
        float[][] users = init.matrix(data.users(), d + 1);
        float[][] items = init.matrix(data.items(), d + 1);
        for (float[] u : users) {
            u[d] = 0;
        }
        for (float[] i : items) {
            i[d] = 0;
        }
        float mean = (float) data.meanValue();
        int[] order = new int[data.nonZeros()];
        for (int e = 0; e < order.length; e++) {
            order[e] = e;
        }
        BiasedFactors factors = new BiasedFactors(NAME, users, items, mean);
        // the served form is a copy: a snapshot
        return EpochLoop.run(NAME, config.epochs(), SvdConfig.LEARNING_RATE.hint("lower", config.learningRate()), control,
            EpochLoop.of(epoch -> epoch(data, users, items, mean, order, random, control), factors::model));
    }

    /** One pass over the ratings in a fresh random order; @return the mean squared error seen during the pass */
    private double epoch(UserItemMatrix data, float[][] users, float[][] items, float mean, int[] order, SplittableRandom random,
        TrainingControl control) {
        int d = config.dims();
        float lr = (float) config.learningRate();
        float reg = (float) config.regularization();
        shuffle(order, random);
        double squared = 0;
        for (int n = 0; n < order.length; n++) {
            int e = order[n];
            float[] p = users[data.userOfEntry(e)];
            float[] q = items[data.itemOfEntry(e)];
            float dot = 0;
            for (int f = 0; f < d; f++) {
                dot += p[f] * q[f];
            }
            float err = data.valueOfEntry(e) - (mean + p[d] + q[d] + dot);
            squared += err * err;
            p[d] += lr * (err - reg * p[d]);
            q[d] += lr * (err - reg * q[d]);
            for (int f = 0; f < d; f++) {
                float pf = p[f];
                p[f] += lr * (err * q[f] - reg * pf);
                q[f] += lr * (err * pf - reg * q[f]);
            }
        }
        control.steps(order.length);
        return order.length == 0 ? 0 : squared / order.length;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
