package org.recommender.tools.train.mf;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.EpochLoop;
import org.recommender.tools.train.GaussianInit;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.ConfiguredTrainer;
import org.recommender.tools.train.TrainingControl;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Explicit-feedback alternating least squares with biases (ALS-WR; Zhou, Wilkinson, Schreiber, Pan 2008, plus the
 * user and item biases of Koren's baseline predictor): predicts {@code r̂ = μ + b_u + b_i + p_u·q_i} and minimises the
 * squared error over the observed ratings plus {@code λ·n} times the squared norm of each row's unknowns, where
 * {@code n} is the row's number of ratings. Each half-step solves every row exactly (Cholesky on the
 * {@code (d+1) × (d+1)} normal equations of {@code [p_u, b_u]} against features {@code [q_i, 1]}).
 */
public final class AlsTrainer extends ConfiguredTrainer<AlsConfig> {
    /** The algorithm's name. */
    public static final String NAME = "als";


    /** @param config hyper-parameters */
    public AlsTrainer(AlsConfig config) {
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
        GaussianInit init = new GaussianInit(new SplittableRandom(config.seed()), config.initStd());
        int d = config.dims();
        // [p, b]: factors plus own bias; the bias starts at 0
        float[][] users = init.matrix(data.users(), d + 1);
        float[][] items = init.matrix(data.items(), d + 1);
        for (float[] u : users) {
            u[d] = 0;
        }
        for (float[] i : items) {
            i[d] = 0;
        }
        float mean = (float) data.meanValue();
        UserItemMatrix byItem = data.transpose();
        BiasedFactors factors = new BiasedFactors(NAME, users, items, mean);
        // the served form is a copy: a snapshot
        return EpochLoop.run(NAME, config.epochs(), AlsConfig.REGULARIZATION.hint("raise", config.regularization()), control, EpochLoop.of(epoch -> {
            solveRows(users, items, data, mean);
            control.steps(data.users());
            solveRows(items, users, byItem, mean);
            control.steps(data.items());
            return factors.meanSquaredError(data);
        }, factors::model));
    }

    private void solveRows(float[][] solved, float[][] fixed, UserItemMatrix m, float mean) {
        int n = config.dims() + 1;
        ThreadLocal<double[][]> scratch = ThreadLocal.withInitial(() -> new double[][] { new double[n * n], new double[n] });
        IntStream.range(0, solved.length).parallel().forEach(row -> solveRow(solved[row], fixed, m, row, mean, scratch.get()));
    }

    /** Least squares for {@code [p, b]} of one row: features {@code [q, 1]}, target {@code r − μ − b_other}. */
    private void solveRow(float[] target, float[][] fixed, UserItemMatrix m, int row, float mean, double[][] s) {
        int n = config.dims() + 1;
        double[] a = s[0];
        double[] b = s[1];
        java.util.Arrays.fill(a, 0);
        java.util.Arrays.fill(b, 0);
        BiasedFactors.addRowEquations(a, b, fixed, m, row, mean, 1);
        double reg = config.regularization() * Math.max(1, m.rowLength(row));
        for (int x = 0; x < n; x++) {
            a[x * n + x] += reg;
            for (int y = 0; y < x; y++) {
                a[y * n + x] = a[x * n + y];
            }
        }
        Cholesky.solve(a, b, n);
        for (int x = 0; x < n; x++) {
            target[x] = (float) b[x];
        }
    }
}
