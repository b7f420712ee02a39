package org.recommender.tools.train;

import org.recommender.tools.data.UserItemMatrix;

import java.util.SplittableRandom;

/**
 * Bayesian Personalized Ranking matrix factorization (Rendle, Freudenthaler, Gantner, Schmidt-Thieme, UAI 2009):
 * learns user and item factors so that, for a user, items they interacted with score above items they did not, by
 * minimising −ln σ(x̂_uij), x̂_uij = u·i − u·j, over triples of a user, an item they interacted with and one drawn
 * uniformly from the items they did not. Two optimizers:
 * <ul>
 *   <li>{@code adam} (the default): minibatch Adam over a shuffled pass of the training pairs, as RecBole trains the
 *       BPR whose numbers the published full-ranking leaderboards report ({@link BprAdam});</li>
 *   <li>{@code sgd}: LearnBPR as in the paper — stochastic gradient ascent on ln σ(x̂_uij) − λ‖Θ‖² over
 *       bootstrap-sampled triples, a (user, positive item) pair drawn uniformly from the training pairs.</li>
 * </ul>
 *
 * <p>Single-threaded on purpose: one {@link SplittableRandom} drives every draw in a fixed order, so the same data,
 * hyper-parameters and seed give bit-identical vectors. For the same reason the arithmetic is plain scalar Java and
 * {@link StrictMath}: the SIMD {@code VectorMath} sums in SIMD-width-dependent order and {@link Math#exp} may be an
 * intrinsic, either of which would make the vectors differ in the last bits between machines. (Scoring, where
 * order does not matter, uses {@code VectorMath}; see {@link FactorModel}.)
 */
public final class BprTrainer extends ConfiguredTrainer<BprConfig> {
    /** The algorithm's name in manifests and tables. */
    public static final String NAME = "bpr";
    private static final int REPORT_EVERY = 8192;


    /** @param config hyper-parameters */
    public BprTrainer(BprConfig config) {
        super(NAME, config);
    }

    /**
     * Trains on {@code data}.
     *
     * @param data the training pairs; users with no pair keep their random initial vector
     * @param listener progress callbacks
     * @throws IllegalStateException if the loss stops being finite (learning rate too high)
     */
    public FactorModel train(UserItemMatrix data, TrainingListener listener) {
        return (FactorModel) fit(data, TrainingControl.of(listener));
    }



    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        SplittableRandom random = new SplittableRandom(config.seed());
        GaussianInit init = new GaussianInit(random, config.initStd());
        float[][] users = init.matrix(data.users(), config.dims());
        float[][] items = init.matrix(data.items(), config.dims());
        if (config.optimizer().equals("adam")) {
            BprAdam adam = new BprAdam(users, items, config);
            return EpochLoop.run(NAME, config.epochs(), BprConfig.LEARNING_RATE.hint("lower", config.learningRate()), control,
                EpochLoop.ofFactors(NAME, users, items, epoch -> adam.epoch(data, random, control)));
        }
        return EpochLoop.run(NAME, config.epochs(), BprConfig.LEARNING_RATE.hint("lower", config.learningRate()), control,
            EpochLoop.ofFactors(NAME, users, items, epoch -> epoch(data, users, items, random, control)));
    }

    /** One epoch of LearnBPR: as many sampled triples as there are training pairs; @return the mean −ln σ(x̂_uij) */
    private double epoch(UserItemMatrix data, float[][] users, float[][] items, SplittableRandom random, TrainingControl control) {
        int pairs = data.nonZeros();
        float lr = (float) config.learningRate();
        float reg = (float) config.regularization();
        int dims = config.dims();
        double lossSum = 0;
        long sinceReport = 0;
        for (int step = 0; step < pairs; step++) {
            int entry = random.nextInt(pairs);
            int u = data.userOfEntry(entry);
            if (data.rowLength(u) == data.items()) {
                continue; // the user has interacted with every item: there is no negative to draw
            }
            int i = data.itemOfEntry(entry);
            int j;
            do {
                j = random.nextInt(data.items());
            } while (data.contains(u, j));

            float[] pu = users[u];
            float[] qi = items[i];
            float[] qj = items[j];
            float x = 0;
            for (int f = 0; f < dims; f++) {
                x += pu[f] * (qi[f] - qj[f]);
            }
            lossSum += softplus(-x); // −ln σ(x)
            // ∂ ln σ(x) / ∂x = σ(−x): how far this triple is from being ranked right
            float g = (float) (1 / (1 + StrictMath.exp(x)));
            for (int f = 0; f < dims; f++) {
                float uf = pu[f];
                float if_ = qi[f];
                float jf = qj[f];
                pu[f] += lr * (g * (if_ - jf) - reg * uf);
                qi[f] += lr * (g * uf - reg * if_);
                qj[f] += lr * (-g * uf - reg * jf);
            }
            if (++sinceReport == REPORT_EVERY) {
                control.steps(sinceReport);
                sinceReport = 0;
            }
        }
        control.steps(sinceReport);
        return pairs == 0 ? 0 : lossSum / pairs;
    }

    /** @return the hyper-parameters */
    public BprConfig config() {
        return config;
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return (long) data.nonZeros() * config.epochs();
    }

    /** @return ln(1 + e^z), without overflow */
    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
}
