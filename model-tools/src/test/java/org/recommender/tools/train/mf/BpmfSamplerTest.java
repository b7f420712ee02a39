package org.recommender.tools.train.mf;

import org.junit.jupiter.api.Test;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pieces of the BPMF Gibbs sampler against what the distributions must give: sample moments of the gamma and
 * Wishart draws against their closed forms (within a few standard errors), the served posterior mean against the
 * mean of the per-sample predictions computed in double, and a seeded model that does not depend on the thread count.
 */
class BpmfSamplerTest {
    @Test
    void gammaDrawsHaveTheGammaMeanAndVariance() {
        Draws draws = new Draws(new SplittableRandom(3));
        int n = 200_000;
        for (double shape : new double[] { 0.3, 1, 2.5, 40_000 }) {
            double scale = 0.7;
            double sum = 0;
            double squares = 0;
            for (int k = 0; k < n; k++) {
                double g = draws.gamma(shape, scale);
                assertTrue(g >= 0 && Double.isFinite(g), "draw " + g);
                sum += g;
                squares += g * g;
            }
            double mean = sum / n;
            double variance = squares / n - mean * mean;
            double expectedVariance = shape * scale * scale;
            // standard error of the mean is sqrt(var / n); the variance's relative error ~ sqrt((2 + 6/k) / n)
            assertEquals(shape * scale, mean, 5 * Math.sqrt(expectedVariance / n), "mean at shape " + shape);
            assertEquals(expectedVariance, variance, expectedVariance * 5 * Math.sqrt((2 + 6 / shape) / n), "variance at shape " + shape);
        }
    }

    @Test
    void wishartDrawsHaveMeanNuTimesTheScale() {
        int p = 3;
        double nu = 6.5;
        double[] scale = { 2.0, 0.3, -0.4, 0.3, 1.0, 0.2, -0.4, 0.2, 0.5 }; // W, positive definite
        double[] inverse = invert(scale, p);
        Cholesky.factor(inverse, p);
        Draws draws = new Draws(new SplittableRandom(11));
        int n = 60_000;
        double[] sum = new double[p * p];
        for (int k = 0; k < n; k++) {
            double[] lambda = draws.wishart(nu, inverse, p);
            for (int i = 0; i < p * p; i++) {
                sum[i] += lambda[i];
            }
            assertEquals(lambda[1], lambda[3], 0, "symmetric");
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                // Var(Λ_ij) = ν (W_ij² + W_ii W_jj)
                double se = Math.sqrt(nu * (scale[i * p + j] * scale[i * p + j] + scale[i * p + i] * scale[j * p + j]) / n);
                assertEquals(nu * scale[i * p + j], sum[i * p + j] / n, 5 * se, "E[Λ][" + i + "][" + j + "]");
            }
        }
    }

    /** Gauss–Jordan in double: an inverse computed apart from {@link Cholesky}. */
    private static double[] invert(double[] m, int p) {
        double[] a = m.clone();
        double[] inv = new double[p * p];
        for (int i = 0; i < p; i++) {
            inv[i * p + i] = 1;
        }
        for (int c = 0; c < p; c++) {
            double pivot = a[c * p + c];
            for (int k = 0; k < p; k++) {
                a[c * p + k] /= pivot;
                inv[c * p + k] /= pivot;
            }
            for (int r = 0; r < p; r++) {
                if (r != c) {
                    double f = a[r * p + c];
                    for (int k = 0; k < p; k++) {
                        a[r * p + k] -= f * a[c * p + k];
                        inv[r * p + k] -= f * inv[c * p + k];
                    }
                }
            }
        }
        return inv;
    }

    @Test
    void theServedFormIsTheMeanOfTheSamplesPredictions() {
        SplittableRandom random = new SplittableRandom(5);
        int users = 7;
        int items = 9;
        int d = 3;
        int samples = 5;
        float mean = 3.4f;
        PosteriorMean posterior = new PosteriorMean("bpmf", users, items, d, samples, mean);
        double[][] expected = new double[users][items];
        for (int s = 0; s < samples; s++) {
            float[][] u = rows(random, users, d + 1);
            float[][] v = rows(random, items, d + 1);
            posterior.add(u, v);
            for (int a = 0; a < users; a++) {
                for (int b = 0; b < items; b++) {
                    double r = mean + (double) u[a][d] + v[b][d];
                    for (int f = 0; f < d; f++) {
                        r += (double) u[a][f] * v[b][f];
                    }
                    expected[a][b] += r / samples;
                }
            }
        }
        TrainedModel model = posterior.model();
        for (int a = 0; a < users; a++) {
            for (int b = 0; b < items; b++) {
                assertEquals(expected[a][b], model.predict(a, b), 1e-5, "user " + a + " item " + b);
            }
        }
        assertThrows(IllegalStateException.class, () -> posterior.add(rows(random, users, d + 1), rows(random, items, d + 1)));
    }

    private static float[][] rows(SplittableRandom random, int n, int width) {
        float[][] m = new float[n][width];
        for (float[] r : m) {
            for (int f = 0; f < width; f++) {
                r[f] = (float) random.nextDouble(-1, 1);
            }
        }
        return m;
    }

    @Test
    void theSameSeedGivesTheSameModelOnOneThreadAndOnMany() throws Exception {
        SplittableRandom random = new SplittableRandom(8);
        int n = 3_000;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] r = new float[n];
        for (int k = 0; k < n; k++) {
            u[k] = random.nextInt(120);
            i[k] = random.nextInt(80);
            r[k] = 1 + random.nextInt(5);
        }
        UserItemMatrix data = UserItemMatrix.fromTriples(120, 80, u, i, r);
        BpmfConfig config = BpmfConfig.PARAMETERS.create("bpmf", Map.of("dims", "3", "epochs", "12", "burn_in", "4", "thin", "2"), 7);
        TrainedModel many = new BpmfTrainer(config).fit(data, TrainingControl.of(TrainingListener.NONE));
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            TrainedModel single = one.submit(() -> new BpmfTrainer(config).fit(data, TrainingControl.of(TrainingListener.NONE))).get();
            for (int a = 0; a < 120; a += 7) {
                for (int b = 0; b < 80; b += 3) {
                    assertEquals(many.predict(a, b), single.predict(a, b), 0, "user " + a + " item " + b);
                }
            }
        } finally {
            one.shutdown();
        }
        TrainedModel otherSeed = new BpmfTrainer(new BpmfConfig(3, 12, 4, 2, 8)).fit(data, TrainingControl.of(TrainingListener.NONE));
        assertTrue(otherSeed.predict(0, 0) != many.predict(0, 0), "the seed matters");
    }

    @Test
    void settingsThatKeepNoSampleOrServeTooManyDimensionsAreRefusedByName() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> BpmfConfig.PARAMETERS.create("bpmf", Map.of("epochs", "20", "burn_in", "20"), 1));
        assertEquals("--epochs (20) must exceed -P burn_in (20) by at least -P thin (2), so that a sample is kept", none.getMessage());
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
            () -> BpmfConfig.PARAMETERS.create("bpmf", Map.of("dims", "100", "epochs", "100", "burn_in", "20", "thin", "1"), 1));
        assertTrue(wide.getMessage().startsWith("--dims (100) x kept samples (80"), wide.getMessage());
        assertEquals(40, BpmfConfig.PARAMETERS.create("bpmf", Map.of(), 1).samples(), "defaults: (100 - 20) / 2");
    }

    /** A system that is not positive definite is a setting that does not train, which tune ranks last and goes on past. */
    @Test
    void aSystemThatIsNotPositiveDefiniteIsASettingThatDoesNotTrain() {
        org.junit.jupiter.api.Assertions.assertThrows(
            org.recommender.tools.train.SettingDoesNotTrainException.class,
            () -> Cholesky.factor(new double[] { 1, 2, 2, 1 }, 2)
        );
    }
}
