package org.recommender.tools.train.ease;

import org.junit.jupiter.api.Test;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.vector.HistoryEncoder;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.FactorModel;
import org.recommender.tools.train.GradientCheck;
import org.recommender.tools.train.PlantedData;
import org.recommender.tools.train.RecordingListener;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.registry.Algorithms;
import org.recommender.tools.tune.SearchMethod;
import org.recommender.tools.tune.Tuner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElsaTrainerTest {
    private static final int USERS = 7;
    private static final int ITEMS = 11;
    private static final int DIMS = 4;

    /** Users with 1 to 6 random items each (user 0 has a single item). */
    private static UserItemMatrix randomData(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> pairs = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            int user = u;
            int count = u == 0 ? 1 : 1 + random.nextInt(6);
            random.ints(0, ITEMS).distinct().limit(count).forEach(i -> pairs.add(new int[] { user, i }));
        }
        return UserItemMatrix.fromPairs(USERS, ITEMS, pairs.stream().mapToInt(p -> p[0]).toArray(), pairs.stream().mapToInt(p -> p[1]).toArray());
    }

    /** W of rows far from unit length (lengths 0.3 to 3), so the gradient through the normalisation is exercised. */
    private static double[] randomWeights(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[ITEMS * DIMS];
        for (int i = 0; i < ITEMS; i++) {
            double scale = random.nextDouble(0.3, 3);
            for (int f = 0; f < DIMS; f++) {
                w[i * DIMS + f] = scale * random.nextDouble(-1, 1);
            }
        }
        return w;
    }

    private static int[] allUsers() {
        return IntStream.range(0, USERS).toArray();
    }

    /** A, textbook: each row of W divided by its length. */
    private static double[][] unitRows(double[] w) {
        double[][] a = new double[ITEMS][DIMS];
        for (int i = 0; i < ITEMS; i++) {
            double norm = 0;
            for (int f = 0; f < DIMS; f++) {
                norm += w[i * DIMS + f] * w[i * DIMS + f];
            }
            for (int f = 0; f < DIMS; f++) {
                a[i][f] = w[i * DIMS + f] / Math.sqrt(norm);
            }
        }
        return a;
    }

    /** x·(AAᵀ − I) for one user, textbook, over the dense item × item matrix. */
    private static double[] reference(double[][] a, UserItemMatrix data, int user) {
        double[] out = new double[ITEMS];
        for (int j = 0; j < ITEMS; j++) {
            for (int i : data.itemsOf(user)) {
                double b = 0;
                for (int f = 0; f < DIMS; f++) {
                    b += a[i][f] * a[j][f];
                }
                out[j] += b - (i == j ? 1 : 0);
            }
        }
        return out;
    }

    /**
     * The loss is the mean of ‖x̂/‖x̂‖ − x/‖x‖‖² over the batch, computed here from the textbook reconstruction, and
     * its hand-written gradient with respect to W — through the row normalisation — matches finite differences for
     * every weight.
     */
    @Test
    void lossIsTheNormalisedErrorAndItsGradientMatchesFiniteDifferences() {
        UserItemMatrix data = randomData(3);
        double[] w = randomWeights(4);
        ElsaNetwork network = new ElsaNetwork(ITEMS, DIMS, w);
        int[] users = allUsers();
        double[] analytic = new double[w.length];
        double loss = network.lossAndGradient(data, users, 0, USERS, analytic);
        double[][] a = unitRows(w);
        double expected = 0;
        for (int u = 0; u < USERS; u++) {
            double[] p = reference(a, data, u);
            double pNorm = Math.sqrt(IntStream.range(0, ITEMS).mapToDouble(i -> p[i] * p[i]).sum());
            double xNorm = Math.sqrt(data.rowLength(u));
            for (int i = 0; i < ITEMS; i++) {
                double d = p[i] / pNorm - (data.contains(u, i) ? 1 / xNorm : 0);
                expected += d * d;
            }
        }
        assertEquals(expected / USERS, loss, 1e-12);
        double[] scratch = new double[w.length];
        GradientCheck.block("W", w, 0, w.length, analytic, () -> network.lossAndGradient(data, users, 0, USERS, scratch));
        // a sub-batch (users 2…4) is its own mean: the gradient scales with 1 / batch, not 1 / all users
        network.lossAndGradient(data, users, 2, 3, analytic);
        GradientCheck.block("W, batch of 3", w, 0, w.length, analytic, () -> network.lossAndGradient(data, users, 2, 3, scratch));
    }

    /**
     * The exported vectors (user x·A, item A_i) and the served {@code dot} bundle over them score every unseen item as
     * the network's reconstruction x·(AAᵀ − I) and as the textbook one; seen items score one more (they are never
     * ranked). The mean of a user's item vectors — the plugin's history user — is x·A / |x|, so it ranks alike.
     */
    @Test
    void exportedVectorsScoreUnseenItemsAsTheReconstruction() {
        UserItemMatrix data = randomData(5);
        double[] w = randomWeights(6);
        ElsaNetwork network = new ElsaNetwork(ITEMS, DIMS, w);
        double[][] a = unitRows(w);
        double[] reconstructed = network.reconstruct(data, allUsers(), 0, USERS).clone();
        FactorModel model = network.model(ElsaTrainer.NAME, data);
        ServingExport export = model.export();
        assertEquals("dot", export.bundle().type());
        ScoringModel served = ModelBundle.parse(export.bundle().toBytes()).compile();
        float[] scores = new float[ITEMS];
        int unseen = 0;
        for (int u = 0; u < USERS; u++) {
            double[] textbook = reference(a, data, u);
            model.scoreAll(u, scores);
            List<float[]> history = new ArrayList<>();
            for (int i : data.itemsOf(u)) {
                history.add(export.itemVector().apply(i));
            }
            float[] mean = HistoryEncoder.mean(history);
            for (int i = 0; i < ITEMS; i++) {
                double own = reconstructed[u * ITEMS + i];
                assertEquals(textbook[i], own, 1e-12, "user " + u + " item " + i);
                double servedScore = served.score(export.userVector().apply(u), export.itemVector().apply(i));
                double seen = data.contains(u, i) ? 1 : 0;
                assertEquals(own + seen, scores[i], 1e-5, "user " + u + " item " + i);
                assertEquals(own + seen, servedScore, 1e-5, "served, user " + u + " item " + i);
                double meanScore = 0;
                for (int f = 0; f < DIMS; f++) {
                    meanScore += mean[f] * export.itemVector().apply(i)[f];
                }
                assertEquals((own + seen) / data.rowLength(u), meanScore, 1e-5, "history mean, user " + u + " item " + i);
                unseen += seen == 0 ? 1 : 0;
            }
        }
        assertTrue(unseen > USERS * ITEMS / 2, "most pairs are unseen: " + unseen);
    }

    /** On planted taste clusters the training lowers the loss and ELSA clearly beats popularity; the same seed repeats it. */
    @Test
    void trainingLowersTheLossAndBeatsPopularityOnPlantedStructure() {
        PlantedData data = PlantedData.of(42);
        ElsaConfig config = new ElsaConfig(64, 10, 0.1, 128, 42);
        RecordingListener recording = new RecordingListener();
        TrainingControl control = TrainingControl.of(recording);
        List<Double> losses = recording.losses();
        ElsaTrainer trainer = new ElsaTrainer(config);
        FactorModel model = (FactorModel) trainer.fit(data.train(), control);
        assertEquals(10, losses.size());
        assertTrue(losses.get(9) < 0.9 * losses.get(0), "loss did not fall: " + losses);
        assertEquals(trainer.totalSteps(data.train()), recording.steps());
        Map<String, Double> elsa = data.evaluate(model);
        Map<String, Double> popularity = data.popularity();
        String report = "elsa " + elsa + " vs " + popularity;
        assertTrue(elsa.get("hr@10") >= 1.5 * popularity.get("hr@10"), report);
        assertTrue(elsa.get("ndcg@10") >= 1.5 * popularity.get("ndcg@10"), report);
        FactorModel again = (FactorModel) new ElsaTrainer(config).fit(data.train(), TrainingControl.of(TrainingListener.NONE));
        for (int i = 0; i < model.items(); i++) {
            assertArrayEquals(model.item(i), again.item(i), "item " + i);
        }
        for (int u = 0; u < model.users(); u++) {
            assertArrayEquals(model.user(u), again.user(u), "user " + u);
        }
    }

    /** {@code train}, {@code evaluate} and {@code tune} know ELSA: it is registered, records its settings, searches all four. */
    @Test
    void registeredWithItsParametersAndSearchRanges() {
        assertTrue(Algorithms.names().contains("elsa"), Algorithms.names().toString());
        assertTrue(Algorithms.iterative("elsa"));
        Trainer trainer = Algorithms.create("elsa", Map.of("learning_rate", "0.05", "batch_size", "64"), 32, 7, 9);
        assertInstanceOf(ElsaTrainer.class, trainer);
        assertEquals(Map.of("dims", 32, "epochs", 7, "learning_rate", 0.05, "batch_size", 64, "optimizer", "adam", "loss", "normalised mse"),
            trainer.parameters());
        Tuner tuner = new Tuner("elsa", Map.of(), null, null, SearchMethod.RANDOM, 4, Tuner.DEFAULT_ETA, 1);
        assertEquals(List.of(HyperParameter.DIMS, HyperParameter.EPOCHS, "learning_rate", "batch_size"),
            tuner.searched().stream().map(HyperParameter::name).toList());
    }
}
