package org.recommender.tools.train.mf;

import org.junit.jupiter.api.Test;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.DenseInverse;
import org.recommender.tools.train.FactorModel;
import org.recommender.tools.train.PlantedData;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IalsTrainerTest {
    private static IalsConfig config(int epochs, long seed) {
        return IalsConfig.PARAMETERS.create("ials", Map.of("dims", "32", "epochs", Integer.toString(epochs)), seed);
    }

    /** Planted clusters: iALS must beat popularity clearly (measured ≈ 0.33 HR@10 vs 0.08). */
    @Test
    void beatsPopularityOnPlantedStructureAndLossFalls() {
        PlantedData data = PlantedData.of(42);
        List<Double> losses = new ArrayList<>();
        FactorModel model = (FactorModel) new IalsTrainer(config(10, 42)).fit(data.train(), TrainingControl.of(new TrainingListener() {
            @Override
            public void epochDone(int epoch, double loss) {
                losses.add(loss);
            }
        }));
        Map<String, Double> ials = data.evaluate(model);
        Map<String, Double> popularity = data.popularity();
        String report = "ials " + ials + " vs " + popularity;
        assertTrue(ials.get("hr@10") >= 2 * popularity.get("hr@10"), report);
        assertTrue(ials.get("ndcg@10") >= 2 * popularity.get("ndcg@10"), report);
        assertEquals(10, losses.size());
        assertTrue(losses.get(9) < losses.get(0), "the objective must fall: " + losses);
    }

    @Test
    void seededAndExportedAsDot() {
        PlantedData data = PlantedData.of(300, 150, 3);
        FactorModel a = (FactorModel) new IalsTrainer(config(2, 5)).fit(data.train(), TrainingControl.of(TrainingListener.NONE));
        FactorModel b = (FactorModel) new IalsTrainer(config(2, 5)).fit(data.train(), TrainingControl.of(TrainingListener.NONE));
        assertArrayEquals(a.user(7), b.user(7), "parallel row solves must not change the result");
        ServingExport export = a.export();
        ScoringModel served = ModelBundle.parse(export.bundle().toBytes()).compile();
        float[] all = new float[a.items()];
        a.scoreAll(7, all);
        assertEquals(all[11], served.score(export.userVector().apply(7), export.itemVector().apply(11)), 1e-5);
    }

    /**
     * After the last epoch every item row is the solution of its least-squares problem given the final user rows, so
     * with enough CG steps to converge it must equal an independent dense solve in double precision — with the row's
     * frequency-scaled λ recomputed here from the definition, which a trainer ignoring ν fails by far more than the
     * tolerance.
     */
    @Test
    void itemRowsSolveTheirFrequencyScaledSystem() {
        PlantedData data = PlantedData.of(60, 40, 3);
        double lambda = 5;
        double alpha = 4;
        double nu = 1;
        IalsConfig config = IalsConfig.PARAMETERS.create("ials", Map.of("dims", "6", "epochs", "4", "cg_steps", "40",
            "regularization", Double.toString(lambda), "alpha", Double.toString(alpha), "reg_exponent", Double.toString(nu)), 3);
        FactorModel model = (FactorModel) new IalsTrainer(config).fit(data.train(), TrainingControl.of(TrainingListener.NONE));
        UserItemMatrix m = data.train();
        int users = m.users();
        int items = m.items();
        int d = 6;
        double[] weight = new double[items];
        double mean = 0;
        for (int i = 0; i < items; i++) {
            weight[i] = users;
            for (int u = 0; u < users; u++) {
                weight[i] += m.contains(u, i) ? alpha : 0; // binary confidence: c − 1 = α
            }
            mean += weight[i] / items;
        }
        double worstScaled = 0;
        double worstFlat = 0;
        for (int i = 0; i < items; i++) {
            double scaled = lambda * Math.pow(weight[i] / mean, nu);
            double[] expected = solve(model, m, i, scaled, alpha, d);
            double[] flat = solve(model, m, i, lambda, alpha, d);
            for (int f = 0; f < d; f++) {
                worstScaled = Math.max(worstScaled, Math.abs(expected[f] - model.item(i)[f]));
                worstFlat = Math.max(worstFlat, Math.abs(flat[f] - model.item(i)[f]));
            }
        }
        assertTrue(worstScaled < 1e-4, "item rows vs the dense solve: " + worstScaled);
        assertTrue(worstFlat > 100 * worstScaled, "ν must matter here: " + worstFlat + " vs " + worstScaled);
    }

    /** {@code (Σ_u c_ui x_u x_uᵀ + λI) y = Σ_u c_ui p_ui x_u}, solved densely in double precision. */
    private static double[] solve(FactorModel model, UserItemMatrix m, int item, double lambda, double alpha, int d) {
        double[][] a = new double[d][d];
        double[] b = new double[d];
        for (int u = 0; u < m.users(); u++) {
            float[] x = model.user(u);
            boolean seen = m.contains(u, item);
            double c = seen ? 1 + alpha : 1;
            for (int r = 0; r < d; r++) {
                for (int k = 0; k < d; k++) {
                    a[r][k] += c * x[r] * x[k];
                }
                b[r] += seen ? c * x[r] : 0;
            }
        }
        for (int r = 0; r < d; r++) {
            a[r][r] += lambda;
        }
        return DenseInverse.solve(a, b);
    }

    @Test
    void badParametersNameThemselves() {
        assertEquals("-P confidence must be one of [binary, linear, log] but was [cubic]",
            assertThrows(IllegalArgumentException.class, () -> IalsConfig.PARAMETERS.create("ials", Map.of("confidence", "Cubic"), 1)).getMessage());
        assertEquals("-P alpha must be in [0, 1000000) but was -1.0",
            assertThrows(IllegalArgumentException.class, () -> IalsConfig.PARAMETERS.create("ials", Map.of("alpha", "-1"), 1)).getMessage());
        assertEquals(IalsConfig.Confidence.LOG, IalsConfig.PARAMETERS.create("ials", Map.of("confidence", "LOG"), 1).confidence(), "case-insensitive");
    }
}
