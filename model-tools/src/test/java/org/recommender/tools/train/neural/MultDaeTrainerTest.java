package org.recommender.tools.train.neural;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recommender.core.model.ScoringModel;
import org.recommender.tools.data.UserItemMatrix;
import java.util.Map;
import org.recommender.tools.train.PlantedData;
import org.recommender.tools.train.FactorModel;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultDaeTrainerTest {
    @BeforeAll
    static void threads() {
        NeuralTestData.oneNativeThread();
    }

    /**
     * On planted taste clusters Mult-DAE must clearly beat popularity; a broken encoder input, label layout, loss or
     * export falls to popularity level (the decoder bias alone learns popularity).
     */
    @Test
    void multDaeBeatsPopularityOnPlantedStructure() throws IOException {
        PlantedData split = NeuralTestData.planted(42);
        int epochs = 30;
        MultDaeConfig config = new MultDaeConfig(100, epochs, 0.003, MultDaeConfig.L2.defaultValue(), MultDaeConfig.DROPOUT.defaultValue(), 50, 42);
        List<Double> losses = new ArrayList<>();
        long[] steps = { 0 };
        TrainingControl control = TrainingControl.of(new TrainingListener() {
            @Override
            public void steps(long count) {
                steps[0] += count;
            }

            @Override
            public void epochDone(int epoch, double loss) {
                losses.add(loss);
            }
        });
        MultDaeTrainer trainer = new MultDaeTrainer(config);
        long start = System.nanoTime();
        TrainedModel model = trainer.fit(split.train(), control);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(trainer.totalSteps(split.train()), steps[0]);
        assertEquals(epochs, losses.size());
        assertTrue(losses.get(epochs - 1) < losses.get(0), losses.toString());
        Map<String, Double> result = split.evaluate(model);
        Map<String, Double> popularity = split.popularity();
        System.out.printf("multdae: %s vs %s; %.1f s for %d epochs; losses %s%n", result, popularity, seconds, epochs, losses);
        String report = result + " vs " + popularity;
        assertTrue(result.get("hr@10") >= 1.5 * popularity.get("hr@10"), report);
        assertTrue(result.get("ndcg@10") >= 1.5 * popularity.get("ndcg@10"), report);
    }

    /**
     * The exported dot model gives the decoder's logits: differences of its scores equal differences of the
     * network's log-softmax (the softmax normaliser cancels), and the bundle scores what scoreAll does.
     */
    @Test
    void exportScoresLikeTheNetwork() {
        int users = 9;
        int items = 30;
        int[] pu = new int[users * 3];
        int[] pi = new int[users * 3];
        for (int k = 0; k < pu.length; k++) {
            pu[k] = k / 3;
            pi[k] = (k * 7) % items;
        }
        UserItemMatrix data = UserItemMatrix.fromPairs(users, items, pu, pi);
        MultDaeConfig config = new MultDaeConfig(6, 1, 0.01, 0, 0.5, 4, 5);
        MultiLayerNetwork net = MultDaeTrainer.build(config, items);
        int[] all = new int[users];
        for (int u = 0; u < users; u++) {
            all[u] = u;
        }
        for (int step = 0; step < 10; step++) { // move the biases away from their zero initialisation
            var xy = MultDaeTrainer.rows(data, all, 0, users);
            net.fit(xy[0], xy[1]);
        }
        FactorModel model = MultDaeTrainer.snapshot(net, data);
        ServingExport export = model.export();
        assertEquals("dot", export.bundle().type());
        assertEquals(7, export.userDims());
        ScoringModel compiled = export.bundle().compile();
        float[] scores = new float[items];
        for (int u = 0; u < users; u++) {
            float[] probabilities = net.output(MultDaeTrainer.rows(data, all, u, 1)[0], false).toFloatVector();
            model.scoreAll(u, scores);
            for (int i = 0; i < items; i++) {
                float bundle = compiled.score(export.userVector().apply(u), export.itemVector().apply(i));
                assertTrue(NeuralTestData.close(bundle, scores[i], 1e-4), "user " + u + " item " + i + ": " + bundle + " vs " + scores[i]);
                double networkDiff = Math.log(probabilities[i]) - Math.log(probabilities[0]);
                float modelDiff = scores[i] - scores[0];
                assertTrue(NeuralTestData.close((float) networkDiff, modelDiff, 1e-4), "user " + u + " item " + i + ": " + networkDiff + " vs " + modelDiff);
            }
        }
    }

    @Test
    void configRejectsNonsense() {
        assertEquals("--dims must be between 1 and 4095 but was 0",
            assertThrows(IllegalArgumentException.class, () -> new MultDaeConfig(0, 1, 0.001, 0, 0.5, 10, 1)).getMessage());
        NeuMfTrainerTest.assertMessageStarts("--epochs", () -> new MultDaeConfig(8, 0, 0.001, 0, 0.5, 10, 1));
        NeuMfTrainerTest.assertMessageStarts("-P learning_rate", () -> new MultDaeConfig(8, 1, -1, 0, 0.5, 10, 1));
        NeuMfTrainerTest.assertMessageStarts("-P l2", () -> new MultDaeConfig(8, 1, 0.001, Double.NaN, 0.5, 10, 1));
        NeuMfTrainerTest.assertMessageStarts("-P dropout", () -> new MultDaeConfig(8, 1, 0.001, 0, 1, 10, 1));
        NeuMfTrainerTest.assertMessageStarts("-P batch_size", () -> new MultDaeConfig(8, 1, 0.001, 0, 0.5, 0, 1));
    }
}
