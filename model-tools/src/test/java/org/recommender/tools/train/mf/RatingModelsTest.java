package org.recommender.tools.train.mf;

import org.junit.jupiter.api.Test;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.eval.RatingEvaluator;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Explicit ALS, SVD and BPMF on ratings generated from a planted biased low-rank model plus noise: each must predict
 * held-out ratings far better than the biases alone could, and export vectors whose dot product plus the global
 * bias is the prediction.
 */
class RatingModelsTest {
    private static final int USERS = 400;
    private static final int ITEMS = 200;
    private static final double NOISE = 0.3;

    /** train and test ratings from r = 3.5 + b_u + b_i + p·q + noise (rank 4) */
    private static UserItemMatrix[] ratings(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] p = new double[USERS][4];
        double[][] q = new double[ITEMS][4];
        double[] bu = new double[USERS];
        double[] bi = new double[ITEMS];
        for (int u = 0; u < USERS; u++) {
            bu[u] = r.nextDouble(-0.5, 0.5);
            for (int f = 0; f < 4; f++) {
                p[u][f] = r.nextDouble(-0.8, 0.8);
            }
        }
        for (int i = 0; i < ITEMS; i++) {
            bi[i] = r.nextDouble(-0.5, 0.5);
            for (int f = 0; f < 4; f++) {
                q[i][f] = r.nextDouble(-0.8, 0.8);
            }
        }
        int n = USERS * 40;
        int[] us = new int[n];
        int[] is = new int[n];
        float[] vs = new float[n];
        for (int k = 0; k < n; k++) {
            int u = k / 40;
            int i = r.nextInt(ITEMS);
            double dot = 0;
            for (int f = 0; f < 4; f++) {
                dot += p[u][f] * q[i][f];
            }
            us[k] = u;
            is[k] = i;
            vs[k] = (float) (3.5 + bu[u] + bi[i] + dot + r.nextGaussian() * NOISE);
        }
        int cut = n * 4 / 5;
        // every 5th rating to test
        int[] tu = new int[n - cut];
        int[] ti = new int[n - cut];
        float[] tv = new float[n - cut];
        int[] ru = new int[cut];
        int[] ri = new int[cut];
        float[] rv = new float[cut];
        int a = 0;
        int b = 0;
        for (int k = 0; k < n; k++) {
            if (k % 5 == 0 && b < tu.length) {
                tu[b] = us[k];
                ti[b] = is[k];
                tv[b++] = vs[k];
            } else if (a < cut) {
                ru[a] = us[k];
                ri[a] = is[k];
                rv[a++] = vs[k];
            }
        }
        return new UserItemMatrix[] { UserItemMatrix.fromTriples(USERS, ITEMS, java.util.Arrays.copyOf(ru, a), java.util.Arrays.copyOf(ri, a),
            java.util.Arrays.copyOf(rv, a)), UserItemMatrix.fromTriples(USERS, ITEMS, java.util.Arrays.copyOf(tu, b), java.util.Arrays.copyOf(ti, b),
                java.util.Arrays.copyOf(tv, b)) };
    }

    private static double check(Trainer trainer, double maxRmse) {
        return check(trainer, maxRmse, (Integer) trainer.parameters().get("dims") + 2);
    }

    /** @return the held-out RMSE, checked below {@code maxRmse}, with a served form of {@code servedDims} that predicts the same */
    private static double check(Trainer trainer, double maxRmse, int servedDims) {
        UserItemMatrix[] data = ratings(9);
        TrainedModel model = trainer.fit(data[0], TrainingControl.of(TrainingListener.NONE));
        double rmse = new RatingEvaluator(data[1]).evaluate(model).get("rmse");
        // the latent part has std ≈ 0.5: a model that only learned biases scores ≈ 0.6; a broken one far worse
        assertTrue(rmse < maxRmse, trainer.name() + " RMSE " + rmse);
        ServingExport export = model.export();
        ScoringModel served = ModelBundle.parse(export.bundle().toBytes()).compile();
        assertEquals(model.predict(3, 17), served.score(export.userVector().apply(3), export.itemVector().apply(17)), 1e-4);
        assertEquals(servedDims, export.userDims(), "biases fold into two extra dimensions");
        return rmse;
    }

    @Test
    void alsLearnsThePlantedFactors() {
        check(new AlsTrainer(AlsConfig.PARAMETERS.create("als", Map.of("regularization", "0.05", "dims", "8", "epochs", "10"), 1)), 0.45);
    }

    @Test
    void svdLearnsThePlantedFactors() {
        check(new SvdTrainer(SvdConfig.PARAMETERS.create("svd", Map.of("learning_rate", "0.01", "regularization", "0.05", "dims", "8", "epochs", "60"), 1)), 0.45);
    }

    /**
     * BPMF with its defaults but for the dimension needs no penalty to tune: it must come near the noise (0.3) and beat
     * the tuned SGD and ALS runs above on the same data; the served form holds every kept sample (d x samples + 2).
     */
    @Test
    void bpmfLearnsThePlantedFactorsWithoutTuning() {
        BpmfConfig config = BpmfConfig.PARAMETERS.create("bpmf", Map.of("dims", "4", "epochs", "60", "burn_in", "20", "thin", "4"), 1);
        double bpmf = check(new BpmfTrainer(config), 0.36, 4 * 10 + 2);
        double als = check(new AlsTrainer(AlsConfig.PARAMETERS.create("als", Map.of("regularization", "0.05", "dims", "8", "epochs", "10"), 1)), 0.45);
        assertTrue(bpmf < als, "bpmf " + bpmf + " vs als " + als);
    }
}
