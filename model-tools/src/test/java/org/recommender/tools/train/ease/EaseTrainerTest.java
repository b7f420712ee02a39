package org.recommender.tools.train.ease;

import org.junit.jupiter.api.Test;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.DenseInverse;
import org.recommender.tools.train.PlantedData;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EaseTrainerTest {
    @Test
    void beatsPopularityOnPlantedStructureAndServesAsItsScores() {
        PlantedData data = PlantedData.of(600, 300, 42);
        TrainedModel model = EaseTrainer.PARAMETERS.create("ease", Map.of("lambda", "50"), 0).fit(data.train(),
            TrainingControl.of(TrainingListener.NONE));
        Map<String, Double> ease = data.evaluate(model);
        Map<String, Double> popularity = data.popularity();
        assertTrue(ease.get("hr@10") >= 2 * popularity.get("hr@10"), ease + " vs " + popularity);
        ServingExport export = model.export();
        ScoringModel served = ModelBundle.parse(export.bundle().toBytes()).compile();
        float[] all = new float[300];
        model.scoreAll(5, all);
        for (int item : new int[] { 0, 17, 299 }) {
            assertEquals(all[item], served.score(export.userVector().apply(5), export.itemVector().apply(item)), 1e-4);
            assertEquals(all[item], model.predict(5, item), 1e-5);
        }
    }

    /** Hand-checkable: two users, three items; B must have a zero diagonal and solve the closed form. */
    @Test
    void closedFormOnATinyMatrix() {
        // X = [[1,1,0],[0,1,1]], G = XᵀX + λI with λ = 1: [[2,1,0],[1,3,1],[0,1,2]]
        UserItemMatrix x = UserItemMatrix.fromPairs(2, 3, new int[] { 0, 0, 1, 1 }, new int[] { 0, 1, 1, 2 });
        TrainedModel model = new EaseTrainer(1).fit(x, TrainingControl.of(TrainingListener.NONE));
        // P = G⁻¹ = (1/8)·[[5,-2,1],[-2,4,-2],[1,-2,5]]; B[i][j] = −P[i][j]/P[j][j]:
        // user 0 (items 0, 1): score of item 2 = B[0][2] + B[1][2] = −1/5 + 2/5 = 0.2
        float[] scores = new float[3];
        model.scoreAll(0, scores);
        assertEquals(0.2, scores[2], 1e-5);
        // item 0 for user 0: B[0][0] (= 0) + B[1][0] = 2/5
        assertEquals(0.4, scores[0], 1e-5);
    }

    /**
     * The float32 LAPACK fit against EASE computed in double precision by plain Gauss–Jordan elimination on random
     * data: {@code P = (XᵀX + λI)⁻¹}, {@code B = I − P·diagMat(1/diag(P))}, diagonal zero. Checked through
     * {@code predict}, which reads B's cells, on every (user, item) pair.
     */
    @Test
    void matchesADoublePrecisionReference() {
        int users = 150;
        int n = 70;
        double lambda = 5;
        SplittableRandom random = new SplittableRandom(11);
        java.util.List<Integer> u = new java.util.ArrayList<>();
        java.util.List<Integer> i = new java.util.ArrayList<>();
        for (int user = 0; user < users; user++) {
            for (int item = 0; item < n; item++) {
                // a popularity slope so the Gram matrix is far from diagonal
                if (random.nextDouble() < 0.05 + 0.3 * item / n) {
                    u.add(user);
                    i.add(item);
                }
            }
        }
        UserItemMatrix x = UserItemMatrix.fromPairs(users, n, u.stream().mapToInt(Integer::intValue).toArray(),
            i.stream().mapToInt(Integer::intValue).toArray());
        double[][] b = referenceWeights(x, n, lambda);
        List<String> phases = new java.util.ArrayList<>();
        TrainedModel model = new EaseTrainer(lambda).fit(x, TrainingControl.of(new TrainingListener() {
            @Override
            public void phase(String what) {
                phases.add(what);
            }
        }));
        double worst = 0;
        for (int user = 0; user < users; user++) {
            for (int item = 0; item < n; item++) {
                double expected = 0;
                for (int seen : x.itemsOf(user)) {
                    expected += b[seen][item];
                }
                worst = Math.max(worst, Math.abs(model.predict(user, item) - expected));
            }
        }
        assertTrue(worst < 1e-4, "largest difference from the double-precision reference " + worst);
        assertTrue(phases.get(0).contains("needs") && phases.get(0).contains("70² × 4 bytes × 2 matrices"), phases.toString());
        assertTrue(phases.stream().anyMatch(p -> p.contains("spotrf")) && phases.stream().anyMatch(p -> p.contains("spotri"))
            && phases.stream().anyMatch(p -> p.startsWith("weights")), phases.toString());
        assertEquals(70L * 70 * 4 * 2, EaseTrainer.memoryBytes(70));
    }

    /** EASE in double precision, textbook: P = (XᵀX + λI)⁻¹ by Gauss–Jordan, then B = I − P·diagMat(1/diag(P)). */
    private static double[][] referenceWeights(UserItemMatrix x, int n, double lambda) {
        double[][] g = new double[n][n];
        for (int user = 0; user < x.users(); user++) {
            for (int p : x.itemsOf(user)) {
                for (int q : x.itemsOf(user)) {
                    g[p][q] += 1;
                }
            }
        }
        for (int r = 0; r < n; r++) {
            g[r][r] += lambda;
        }
        double[][] p = DenseInverse.of(g);
        double[][] b = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double identity = r == c ? 1 : 0;
                b[r][c] = identity - p[r][c] / p[c][c];
            }
            b[r][r] = 0;
        }
        return b;
    }

    @Test
    void refusesToServeMoreItemsThanDimensions() {
        UserItemMatrix wide = UserItemMatrix.fromPairs(1, 5000, new int[] { 0 }, new int[] { 1 });
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EaseTrainer(1).requireServable(wide)).getMessage()
            .contains("this data has 5,000 items"));
        assertThrows(IllegalArgumentException.class, () -> new EaseTrainer(0));
    }
}
