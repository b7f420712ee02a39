package org.recommender.tools.train.mf;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.ConfiguredTrainer;
import org.recommender.tools.train.EpochLoop;
import org.recommender.tools.train.GaussianInit;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Bayesian probabilistic matrix factorisation by Gibbs sampling (Salakhutdinov and Mnih, ICML 2008), with biases:
 * {@code r ~ N(μ + b_u + b_i + p_u·q_i, 1/α)}. Each row {@code [p_u, b_u]} (and {@code [q_i, b_i]}) is one Gaussian
 * block under a Normal–Wishart hyper-prior ({@link NormalWishart}), so the bias is regularised like a factor, by a
 * prior learned from the data. A sweep draws α from its gamma posterior (prior {@code Γ(1, 1)}), then the user prior
 * and every user row, then the item prior and every item row. μ is the training mean. Predictions average the
 * sweeps kept after the burn-in ({@link PosteriorMean}), which is what makes BPMF hard to over-fit: there is no step
 * size or penalty to tune, only the dimension and how long to sample.
 *
 * <p>Seeded: each row's draws come from a generator seeded by the sweep's seed and the row, so the model does not
 * depend on how the parallel rows are scheduled.
 */
public final class BpmfTrainer extends ConfiguredTrainer<BpmfConfig> {
    /** The algorithm's name. */
    public static final String NAME = "bpmf";
    /** Spread of the starting rows; the burn-in forgets them. */
    private static final double INIT_STD = 0.1;
    /** Shape and rate of the noise precision's gamma prior: worth two pseudo-ratings of squared error 1 each (weak). */
    private static final double NOISE_SHAPE = 1;
    private static final double NOISE_RATE = 1;

    /** @param config hyper-parameters */
    public BpmfTrainer(BpmfConfig config) {
        super(NAME, config);
    }

    @Override
    public boolean predictsRatings() {
        return true;
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return (long) (data.users() + data.items()) * config.epochs();
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        SplittableRandom random = new SplittableRandom(config.seed());
        Draws draws = new Draws(random);
        int d = config.dims();
        GaussianInit init = new GaussianInit(random, INIT_STD);
        float[][] users = init.matrix(data.users(), d + 1);
        float[][] items = init.matrix(data.items(), d + 1);
        float mean = (float) data.meanValue();
        UserItemMatrix byItem = data.transpose();
        PosteriorMean posterior = new PosteriorMean(NAME, data.users(), data.items(), d, config.samples(), mean);
        BiasedFactors current = new BiasedFactors(NAME, users, items, mean);
        double[] squared = { current.meanSquaredError(data) * data.nonZeros() };
        return EpochLoop.run(NAME, config.epochs(), "check the ratings for extreme values", control, EpochLoop.of(sweep -> {
            double alpha = draws.gamma(NOISE_SHAPE + data.nonZeros() / 2.0, 1 / (NOISE_RATE + squared[0] / 2));
            sampleRows(users, items, data, mean, alpha, draws, random.nextLong());
            control.steps(data.users());
            sampleRows(items, users, byItem, mean, alpha, draws, random.nextLong());
            control.steps(data.items());
            squared[0] = current.meanSquaredError(data) * data.nonZeros();
            if (config.keeps(sweep)) {
                posterior.add(users, items);
            }
            return data.nonZeros() == 0 ? 0 : squared[0] / data.nonZeros();
        }, () -> posterior.samples() > 0 ? posterior.model() : current.model()));
    }

    /** Draws the rows' prior, then every row of {@code solved} given {@code fixed}, in parallel. */
    private void sampleRows(float[][] solved, float[][] fixed, UserItemMatrix m, float mean, double alpha, Draws draws, long seed) {
        int n = config.dims() + 1;
        if (solved.length == 0) {
            return;
        }
        NormalWishart.RowPrior prior = NormalWishart.draw(solved, n, draws);
        double[] precisionTimesMean = new double[n];
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                precisionTimesMean[x] += prior.precision()[x * n + y] * prior.mean()[y];
            }
        }
        ThreadLocal<double[][]> scratch = ThreadLocal.withInitial(() -> new double[][] { new double[n * n], new double[n], new double[n] });
        IntStream.range(0, solved.length).parallel().forEach(row -> {
            // a generator per (sweep, row): SplittableRandom(seed + row) would share streams with its neighbours, so
            // the row's seed is the first output of that generator, which mixes it
            Draws own = new Draws(new SplittableRandom(new SplittableRandom(seed + row).nextLong()));
            sampleRow(solved[row], fixed, m, row, mean, alpha, prior.precision(), precisionTimesMean, own, scratch.get());
        });
    }

    /**
     * Draws one row {@code [p, b]} from its Gaussian posterior: precision {@code P = Λ + α Σ f fᵀ}, mean
     * {@code P⁻¹(Λμ + α Σ f t)}, with features {@code f = [q, 1]} and targets {@code t = r − μ − b_other}.
     */
    private void sampleRow(float[] target, float[][] fixed, UserItemMatrix m, int row, float mean, double alpha, double[] precision,
        double[] precisionTimesMean, Draws draws, double[][] s) {
        int n = config.dims() + 1;
        double[] a = s[0];
        double[] b = s[1];
        double[] z = s[2];
        System.arraycopy(precision, 0, a, 0, n * n);
        System.arraycopy(precisionTimesMean, 0, b, 0, n);
        BiasedFactors.addRowEquations(a, b, fixed, m, row, mean, alpha);
        Cholesky.factor(a, n);
        Cholesky.forward(a, b, n);
        Cholesky.backward(a, b, n);
        for (int x = 0; x < n; x++) {
            z[x] = draws.normal();
        }
        Cholesky.backward(a, z, n);
        for (int x = 0; x < n; x++) {
            target[x] = (float) (b[x] + z[x]);
        }
    }
}
