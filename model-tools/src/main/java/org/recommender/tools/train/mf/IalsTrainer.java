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
 * Implicit-feedback alternating least squares (iALS; Hu, Koren, Volinsky, ICDM 2008): minimises
 * {@code Σ_(u,i) c_ui (p_ui − x_u·y_i)² + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖y_i‖²} over all user × item cells, with
 * preference 1 and confidence {@code c_ui} for observed pairs and preference 0, confidence 1 for the rest. A row's
 * λ is {@code λ · (w / mean w)^ν}, w its total loss weight {@code Σ_cells c} ({@link RowPenalties}): ν = 0 is Hu et
 * al.'s one λ, ν &gt; 0 Rendle et al. 2022's frequency-scaled regularisation. Each half-epoch fixes one
 * side and solves every row of the other with a few warm-started conjugate-gradient steps (Takács, Pilászy, Tikk,
 * RecSys 2011), using the Gram-matrix trick so that a row costs O(d² + n_u·d), not O(items·d).
 *
 * <p>Rows are solved in parallel; each reads only the fixed side and writes only its own vector, so the result does
 * not depend on thread scheduling and the same seed gives the same vectors. Plain Java, not ND4J: a row's system is
 * 64 × 64, far below the size where a native call's fixed cost pays off (see NOTES on ND4J call overhead).
 */
public final class IalsTrainer extends ConfiguredTrainer<IalsConfig> {
    /** The algorithm's name. */
    public static final String NAME = "ials";


    /** @param config hyper-parameters */
    public IalsTrainer(IalsConfig config) {
        super(NAME, config);
    }



    @Override
    public long totalSteps(UserItemMatrix data) {
        return (long) (data.users() + data.items()) * config.epochs();
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        GaussianInit init = new GaussianInit(new SplittableRandom(config.seed()), config.initStd());
        int d = config.dims();
        float[][] users = init.matrix(data.users(), d);
        float[][] items = init.matrix(data.items(), d);
        UserItemMatrix byItem = data.transpose();
        double[] userPenalty = RowPenalties.of(data, data.items(), config);
        double[] itemPenalty = RowPenalties.of(byItem, data.users(), config);
        return EpochLoop.run(NAME, config.epochs(), IalsConfig.REGULARIZATION.hint("raise", config.regularization()), control,
            EpochLoop.ofFactors(NAME, users, items, epoch -> {
                solveRows(users, items, data, userPenalty);
                control.steps(data.users());
                solveRows(items, users, byItem, itemPenalty);
                control.steps(data.items());
                return loss(users, items, data, userPenalty, itemPenalty);
            }));
    }

    /**
     * One half-epoch: every row of {@code solved} given {@code fixed}; {@code matrix} has one row per solved vector,
     * {@code penalty} its λ.
     */
    private void solveRows(float[][] solved, float[][] fixed, UserItemMatrix matrix, double[] penalty) {
        int d = config.dims();
        double[] gram = Gram.of(fixed, d);
        ThreadLocal<double[][]> scratch = ThreadLocal.withInitial(() -> new double[5][d]);
        IntStream.range(0, solved.length).parallel()
            .forEach(row -> conjugateGradient(solved[row], fixed, matrix, row, gram, penalty[row], scratch.get()));
    }

    /**
     * A few CG steps on {@code (G + λI + Σ (c−1) y yᵀ) x = Σ c y} starting from the current {@code x}. Rows without a
     * single observation converge to 0 (only the regularized Gram term remains).
     */
    private void conjugateGradient(float[] xf, float[][] fixed, UserItemMatrix m, int row, double[] gram, double lambda, double[][] s) {
        int d = xf.length;
        double[] x = s[0];
        double[] r = s[1];
        double[] p = s[2];
        double[] ap = s[3];
        for (int f = 0; f < d; f++) {
            x[f] = xf[f];
        }
        // r = b − A x
        multiply(gram, lambda, x, r, d);
        for (int f = 0; f < d; f++) {
            r[f] = -r[f];
        }
        int from = m.rowStart(row);
        int to = m.rowStart(row + 1);
        for (int e = from; e < to; e++) {
            float[] y = fixed[m.itemOfEntry(e)];
            double c = config.confidence().of(m.valueOfEntry(e), config.alpha());
            double yx = dot(y, x);
            double w = c - (c - 1) * yx; // b contributes c·y, A x contributes (c − 1)(y·x)·y
            for (int f = 0; f < d; f++) {
                r[f] += w * y[f];
            }
        }
        System.arraycopy(r, 0, p, 0, d);
        double rsOld = dot(r, r);
        for (int step = 0; step < config.cgSteps() && rsOld > 1e-20; step++) {
            multiply(gram, lambda, p, ap, d);
            for (int e = from; e < to; e++) {
                float[] y = fixed[m.itemOfEntry(e)];
                double c = config.confidence().of(m.valueOfEntry(e), config.alpha());
                double w = (c - 1) * dot(y, p);
                for (int f = 0; f < d; f++) {
                    ap[f] += w * y[f];
                }
            }
            double alpha = rsOld / dot(p, ap);
            for (int f = 0; f < d; f++) {
                x[f] += alpha * p[f];
                r[f] -= alpha * ap[f];
            }
            double rsNew = dot(r, r);
            for (int f = 0; f < d; f++) {
                p[f] = r[f] + rsNew / rsOld * p[f];
            }
            rsOld = rsNew;
        }
        for (int f = 0; f < d; f++) {
            xf[f] = (float) x[f];
        }
    }

    /**
     * The objective per observed pair: {@code Σ_u x_uᵀ(YᵀY)x_u} covers every cell as if unobserved, then each observed
     * cell swaps its unobserved term for {@code c(1 − ŷ)²}.
     */
    private double loss(float[][] users, float[][] items, UserItemMatrix m, double[] userPenalty, double[] itemPenalty) {
        int d = config.dims();
        double[] gram = Gram.of(items, d);
        double[] gx = new double[d];
        double[] x = new double[d];
        double total = 0;
        double norms = 0;
        for (int u = 0; u < users.length; u++) {
            for (int f = 0; f < d; f++) {
                x[f] = users[u][f];
            }
            multiply(gram, 0, x, gx, d);
            total += dot(x, gx);
            norms += userPenalty[u] * dot(x, x);
            for (int e = m.rowStart(u); e < m.rowStart(u + 1); e++) {
                double yhat = dot(items[m.itemOfEntry(e)], x);
                double c = config.confidence().of(m.valueOfEntry(e), config.alpha());
                total += c * (1 - yhat) * (1 - yhat) - yhat * yhat;
            }
        }
        for (int i = 0; i < items.length; i++) {
            double n = 0;
            for (float v : items[i]) {
                n += v * v;
            }
            norms += itemPenalty[i] * n;
        }
        return (total + norms) / Math.max(1, m.nonZeros());
    }

    /** {@code out = (g + lambda·I) v}. */
    private static void multiply(double[] g, double lambda, double[] v, double[] out, int d) {
        for (int a = 0; a < d; a++) {
            double s = lambda * v[a];
            for (int b = 0; b < d; b++) {
                s += g[a * d + b] * v[b];
            }
            out[a] = s;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int f = 0; f < a.length; f++) {
            s += a[f] * b[f];
        }
        return s;
    }

    private static double dot(float[] a, double[] b) {
        double s = 0;
        for (int f = 0; f < a.length; f++) {
            s += a[f] * b[f];
        }
        return s;
    }
}
