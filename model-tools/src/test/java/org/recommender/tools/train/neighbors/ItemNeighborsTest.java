package org.recommender.tools.train.neighbors;

import org.junit.jupiter.api.Test;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.PlantedData;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ItemKNN and RP³β against their definitions computed densely in double precision on random data, with and
 * without the neighbour cut; and both beat popularity where there is structure, and serve as they score.
 */
class ItemNeighborsTest {
    private static final int USERS = 60;
    private static final int ITEMS = 25;

    private static boolean[][] randomHistory(long seed) {
        Random random = new Random(seed);
        boolean[][] x = new boolean[USERS][ITEMS];
        for (int u = 0; u < USERS; u++) {
            for (int i = 0; i < ITEMS; i++) {
                x[u][i] = random.nextDouble() < 0.05 + 0.3 * ((u + i) % 5 == 0 ? 1 : 0); // some structure, many ties
            }
            x[u][random.nextInt(ITEMS)] = true;
        }
        return x;
    }

    private static UserItemMatrix matrix(boolean[][] x) {
        List<Integer> us = new ArrayList<>();
        List<Integer> is = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            for (int i = 0; i < ITEMS; i++) {
                if (x[u][i]) {
                    us.add(u);
                    is.add(i);
                }
            }
        }
        return UserItemMatrix.fromPairs(USERS, ITEMS, us.stream().mapToInt(Integer::intValue).toArray(), is.stream().mapToInt(Integer::intValue).toArray());
    }

    private static double[][] cosineReference(boolean[][] x, double shrink) {
        double[][] w = new double[ITEMS][ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            for (int j = 0; j < ITEMS; j++) {
                double common = 0, ni = 0, nj = 0;
                for (boolean[] row : x) {
                    common += row[i] && row[j] ? 1 : 0;
                    ni += row[i] ? 1 : 0;
                    nj += row[j] ? 1 : 0;
                }
                w[i][j] = i == j ? 0 : common / (Math.sqrt(ni) * Math.sqrt(nj) + shrink);
            }
        }
        return w;
    }

    private static double[][] rp3Reference(boolean[][] x, double alpha, double beta) {
        double[][] w = new double[ITEMS][ITEMS];
        double[] pop = new double[ITEMS];
        for (boolean[] row : x) {
            for (int i = 0; i < ITEMS; i++) {
                pop[i] += row[i] ? 1 : 0;
            }
        }
        for (int i = 0; i < ITEMS; i++) {
            for (int j = 0; j < ITEMS; j++) {
                double walk = 0;
                for (boolean[] row : x) {
                    double length = 0;
                    for (boolean b : row) {
                        length += b ? 1 : 0;
                    }
                    if (row[i] && row[j]) {
                        walk += Math.pow(1 / pop[i], alpha) * Math.pow(1 / length, alpha);
                    }
                }
                w[i][j] = i == j || pop[j] == 0 ? 0 : walk / Math.pow(pop[j], beta);
            }
        }
        return w;
    }

    /** The reference cut to each row's k largest positive weights, ties to the smaller item. */
    private static double[][] cut(double[][] w, int k) {
        double[][] kept = new double[ITEMS][ITEMS];
        for (int r = 0; r < ITEMS; r++) {
            int i = r;
            double[] row = w[i];
            IntStream.range(0, ITEMS).boxed().filter(j -> row[j] > 0)
                .sorted(Comparator.comparingDouble((Integer j) -> -row[j]).thenComparingInt(j -> j)).limit(k)
                .forEach(j -> kept[i][j] = row[j]);
        }
        return kept;
    }

    private static void assertMatches(double[][] expected, boolean[][] x, TrainedModel model, String what) {
        ItemNeighbors neighbors = (ItemNeighbors) model;
        for (int i = 0; i < ITEMS; i++) {
            for (int j = 0; j < ITEMS; j++) {
                assertEquals(expected[i][j], neighbors.weight(i, j), 1e-6 * Math.max(1, Math.abs(expected[i][j])), what + " W[" + i + "][" + j + "]");
            }
        }
        float[] scores = new float[ITEMS];
        for (int u = 0; u < USERS; u++) {
            model.scoreAll(u, scores);
            for (int j = 0; j < ITEMS; j++) {
                double s = 0;
                for (int i = 0; i < ITEMS; i++) {
                    s += x[u][i] ? expected[i][j] : 0;
                }
                assertEquals(s, scores[j], 1e-5 * Math.max(1, Math.abs(s)), what + " user " + u + " item " + j);
            }
        }
    }

    @Test
    void itemKnnIsShrunkCosineWithTheNeighbourCut() {
        boolean[][] x = randomHistory(3);
        for (int k : new int[] { ITEMS, 4 }) {
            TrainedModel model = new ItemKnnTrainer(k, 2).fit(matrix(x), TrainingControl.of(TrainingListener.NONE));
            assertMatches(cut(cosineReference(x, 2), k), x, model, "itemknn k " + k);
        }
    }

    @Test
    void rp3BetaIsTheDiscountedWalkWithTheNeighbourCut() {
        boolean[][] x = randomHistory(4);
        for (int k : new int[] { ITEMS, 3 }) {
            for (double[] ab : new double[][] { { 1, 0 }, { 0.7, 0.6 } }) {
                TrainedModel model = new Rp3BetaTrainer(k, ab[0], ab[1]).fit(matrix(x), TrainingControl.of(TrainingListener.NONE));
                assertMatches(cut(rp3Reference(x, ab[0], ab[1]), k), x, model, "rp3beta k " + k + " " + Arrays.toString(ab));
            }
        }
    }

    @Test
    void bothBeatPopularityOnPlantedStructureAndServeAsTheyScore() {
        PlantedData data = PlantedData.of(600, 300, 42);
        Map<String, Double> popularity = data.popularity();
        for (TrainedModel model : new TrainedModel[] {
            new ItemKnnTrainer(100, 10).fit(data.train(), TrainingControl.of(TrainingListener.NONE)),
            new Rp3BetaTrainer(100, 1, 0.6).fit(data.train(), TrainingControl.of(TrainingListener.NONE)) }) {
            Map<String, Double> measured = data.evaluate(model);
            assertTrue(measured.get("hr@10") >= 2 * popularity.get("hr@10"), model.name() + " " + measured + " vs " + popularity);
            ServingExport export = model.export();
            ScoringModel served = ModelBundle.parse(export.bundle().toBytes()).compile();
            float[] all = new float[300];
            model.scoreAll(5, all);
            for (int item : new int[] { 0, 17, 299 }) {
                assertEquals(all[item], served.score(export.userVector().apply(5), export.itemVector().apply(item)), 1e-4);
                assertEquals(all[item], model.predict(5, item), 1e-5);
            }
        }
    }
}
