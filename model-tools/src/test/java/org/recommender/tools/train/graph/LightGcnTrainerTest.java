package org.recommender.tools.train.graph;

import org.junit.jupiter.api.Test;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.BprConfig;
import org.recommender.tools.train.BprTrainer;
import org.recommender.tools.train.FactorModel;
import org.recommender.tools.train.PlantedData;
import org.recommender.tools.train.TrainingListener;
import org.recommender.tools.train.TrainingControl;

import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LightGcnTrainerTest {
    /** Ã of a small random graph as a dense double matrix over users then items. */
    private static double[][] adjacency(UserItemMatrix data) {
        int n = data.users() + data.items();
        double[][] a = new double[n][n];
        int[] itemDegree = data.itemCounts();
        for (int e = 0; e < data.nonZeros(); e++) {
            int u = data.userOfEntry(e);
            int i = data.itemOfEntry(e);
            double w = 1 / Math.sqrt((double) data.rowLength(u) * itemDegree[i]);
            a[u][data.users() + i] = w;
            a[data.users() + i][u] = w;
        }
        return a;
    }

    private static UserItemMatrix randomGraph(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int users = 7;
        int items = 9;
        java.util.List<int[]> pairs = new java.util.ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (random.nextDouble() < 0.35 || i == u) {
                    pairs.add(new int[] { u, i });
                }
            }
        }
        return UserItemMatrix.fromPairs(users, items, pairs.stream().mapToInt(p -> p[0]).toArray(), pairs.stream().mapToInt(p -> p[1]).toArray());
    }

    /** The layer mean equals (1/(L+1)) Σ Ãˡ E computed densely in double. */
    @Test
    void layerMeanIsThePowerSeriesOfTheNormalisedAdjacency() {
        UserItemMatrix data = randomGraph(3);
        double[][] a = adjacency(data);
        int n = a.length;
        int d = 4;
        float[][] users = random(data.users(), d, 1);
        float[][] items = random(data.items(), d, 2);
        for (int layers = 0; layers <= 3; layers++) {
            double[][] e = new double[n][d];
            for (int r = 0; r < n; r++) {
                for (int f = 0; f < d; f++) {
                    e[r][f] = r < data.users() ? users[r][f] : items[r - data.users()][f];
                }
            }
            double[][] sum = copy(e);
            double[][] power = e;
            for (int l = 1; l <= layers; l++) {
                power = multiply(a, power);
                for (int r = 0; r < n; r++) {
                    for (int f = 0; f < d; f++) {
                        sum[r][f] += power[r][f];
                    }
                }
            }
            float[][] outUsers = new float[data.users()][d];
            float[][] outItems = new float[data.items()][d];
            new NormalizedGraph(data).layerMean(users, items, layers, outUsers, outItems);
            for (int r = 0; r < n; r++) {
                float[] got = r < data.users() ? outUsers[r] : outItems[r - data.users()];
                for (int f = 0; f < d; f++) {
                    assertEquals(sum[r][f] / (layers + 1), got[f], 1e-5, "layers " + layers + ", row " + r);
                }
            }
        }
    }

    /**
     * The backward pass reuses the forward operation; that is the gradient only if the operation is its own adjoint:
     * ⟨G, M(E)⟩ = ⟨M(G), E⟩ for any E and G.
     */
    @Test
    void theLayerMeanIsSelfAdjointSoItCarriesGradientsBack() {
        UserItemMatrix data = randomGraph(5);
        NormalizedGraph graph = new NormalizedGraph(data);
        int d = 3;
        float[][] eu = random(data.users(), d, 7);
        float[][] ei = random(data.items(), d, 8);
        float[][] gu = random(data.users(), d, 9);
        float[][] gi = random(data.items(), d, 10);
        float[][] meu = new float[data.users()][d];
        float[][] mei = new float[data.items()][d];
        float[][] mgu = new float[data.users()][d];
        float[][] mgi = new float[data.items()][d];
        graph.layerMean(eu, ei, 2, meu, mei);
        graph.layerMean(gu, gi, 2, mgu, mgi);
        double left = inner(gu, meu) + inner(gi, mei);
        double right = inner(mgu, eu) + inner(mgi, ei);
        assertEquals(left, right, 1e-5 * Math.abs(left));
    }

    /** With no layers and no L2, LightGCN is BPR-MF trained by Adam: the same draws give the same vectors. */
    @Test
    void zeroLayersIsBprWithAdam() throws IOException {
        UserItemMatrix data = PlantedData.of(11).train();
        FactorModel bpr = (FactorModel) new BprTrainer(new BprConfig(8, 3, 0.01, 0, 0.05, "adam", 256, 4)).fit(data, TrainingControl.of(TrainingListener.NONE));
        FactorModel gcn = (FactorModel) new LightGcnTrainer(new LightGcnConfig(8, 3, 0, 0.01, 0, 0.05, 256, 4)).fit(data, TrainingControl.of(TrainingListener.NONE));
        for (int u = 0; u < data.users(); u++) {
            assertArrayEquals(bpr.user(u), gcn.user(u), "user " + u);
        }
        for (int i = 0; i < data.items(); i++) {
            assertArrayEquals(bpr.item(i), gcn.item(i), "item " + i);
        }
    }

    /** On planted taste clusters LightGCN must clearly beat popularity, as BPR does (see BprTrainerTest). */
    @Test
    void lightGcnBeatsPopularityOnPlantedStructure() throws IOException {
        PlantedData data = PlantedData.of(42);
        FactorModel model = (FactorModel) new LightGcnTrainer(new LightGcnConfig(32, 30, 2, 0.005, 1e-5, 0.01, 512, 42))
            .fit(data.train(), TrainingControl.of(TrainingListener.NONE));
        Map<String, Double> gcn = data.evaluate(model);
        Map<String, Double> popularity = data.popularity();
        String report = "lightgcn " + gcn + " vs " + popularity;
        assertTrue(gcn.get("hr@10") >= 1.5 * popularity.get("hr@10"), report);
        assertTrue(gcn.get("ndcg@10") >= 1.5 * popularity.get("ndcg@10"), report);
    }

    private static float[][] random(int rows, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] m = new float[rows][d];
        for (float[] row : m) {
            for (int f = 0; f < d; f++) {
                row[f] = (float) random.nextDouble(-1, 1);
            }
        }
        return m;
    }

    private static double inner(float[][] a, float[][] b) {
        double s = 0;
        for (int r = 0; r < a.length; r++) {
            for (int f = 0; f < a[r].length; f++) {
                s += (double) a[r][f] * b[r][f];
            }
        }
        return s;
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int r = 0; r < m.length; r++) {
            c[r] = m[r].clone();
        }
        return c;
    }

    private static double[][] multiply(double[][] a, double[][] e) {
        double[][] out = new double[a.length][e[0].length];
        for (int r = 0; r < a.length; r++) {
            for (int k = 0; k < a.length; k++) {
                if (a[r][k] != 0) {
                    for (int f = 0; f < e[0].length; f++) {
                        out[r][f] += a[r][k] * e[k][f];
                    }
                }
            }
        }
        return out;
    }
}
