package org.recommender.tools.train.neural;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.recommender.core.encoder.UserEncoder;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
import org.recommender.tools.data.UserItemMatrix;
import java.util.Map;
import org.recommender.tools.train.PlantedData;
import org.recommender.tools.train.RecordingListener;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

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
        RecordingListener recording = new RecordingListener();
        TrainingControl control = TrainingControl.of(recording);
        List<Double> losses = recording.losses();
        MultDaeTrainer trainer = new MultDaeTrainer(config);
        long start = System.nanoTime();
        TrainedModel model = trainer.fit(split.train(), control);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(trainer.totalSteps(split.train()), recording.steps());
        assertEquals(epochs, losses.size());
        assertTrue(losses.get(epochs - 1) < losses.get(0), losses.toString());
        Map<String, Double> result = split.evaluate(model);
        Map<String, Double> popularity = split.popularity();
        System.out.printf("multdae: %s vs %s; %.1f s for %d epochs; losses %s%n", result, popularity, seconds, epochs, losses);
        String report = result + " vs " + popularity;
        assertTrue(result.get("hr@10") >= 1.5 * popularity.get("hr@10"), report);
        assertTrue(result.get("ndcg@10") >= 1.5 * popularity.get("ndcg@10"), report);
    }

    /** A {@code hidden}-wide network fitted for 10 full-batch steps, so its biases are away from their zero start. */
    private static MultiLayerNetwork fittedNetwork(UserItemMatrix data, int hidden) {
        MultiLayerNetwork net = MultDaeTrainer.build(new MultDaeConfig(hidden, 1, 0.01, 0, 0.5, 4, 5), data.items());
        int[] all = IntStream.range(0, data.users()).toArray();
        for (int step = 0; step < 10; step++) {
            var xy = MultDaeTrainer.rows(data, all, 0, all.length);
            net.fit(xy[0], xy[1]);
        }
        return net;
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
        MultiLayerNetwork net = fittedNetwork(data, 6);
        int[] all = IntStream.range(0, users).toArray();
        MultDaeModel model = MultDaeTrainer.snapshot(net, data);
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

    /**
     * The encoder export against the trained network itself: the {@code multdae} encoder bundle, parsed back from
     * its bytes and compiled by the core (the plugin's code), turns a user's training items' history vectors into the
     * network's own encoder activation, and the encoded-user {@code dot} bundle scores that vector against the item
     * vectors as the network's decoder logits (a copy of the network with the softmax replaced by the identity).
     */
    @Test
    void encoderBundleMakesTheNetworksUsersAndTheEncodedBundleScoresItsLogits() {
        int users = 12;
        int items = 40;
        List<int[]> pairs = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int k = 0; k <= u % 7; k++) { // 1 to 7 items: the 1/sqrt(n) scaling differs per user
                pairs.add(new int[] { u, (u * 11 + k * 5) % items });
            }
        }
        UserItemMatrix data = UserItemMatrix.fromPairs(users, items, pairs.stream().mapToInt(p -> p[0]).toArray(),
            pairs.stream().mapToInt(p -> p[1]).toArray());
        int hidden = 6;
        MultiLayerNetwork net = fittedNetwork(data, hidden);
        int[] all = IntStream.range(0, users).toArray();
        MultiLayerConfiguration logitsConf = net.getLayerWiseConfigurations().clone();
        BaseOutputLayer output = (BaseOutputLayer) logitsConf.getConf(1).getLayer();
        output.setActivationFn(new ActivationIdentity());
        output.setLossFn(new LossMSE()); // a loss that accepts the identity; only the forward pass is used
        MultiLayerNetwork logitsNet = new MultiLayerNetwork(logitsConf);
        logitsNet.init(net.params().dup(), false);

        ServingExport export = MultDaeTrainer.snapshot(net, data).export();
        ModelBundle encoderBundle = ModelBundle.parse(export.encoder().toBytes());
        assertEquals("multdae", encoderBundle.type());
        assertEquals(hidden, encoderBundle.userDims());
        assertEquals(hidden, encoderBundle.itemDims());
        UserEncoder encoder = encoderBundle.compileEncoder();
        assertEquals(items, encoder.maxLength(), "a history is a set of catalogue items");
        ModelBundle encodedBundle = ModelBundle.parse(export.encodedBundle().toBytes());
        assertEquals("dot", encodedBundle.type());
        assertEquals(hidden, encodedBundle.userDims());
        assertEquals(hidden + 1, encodedBundle.itemDims());
        ScoringModel encoded = encodedBundle.compile();
        assertEquals(hidden, export.history().dims());
        for (int u = 0; u < users; u++) {
            INDArray x = MultDaeTrainer.rows(data, all, u, 1)[0];
            float[] h = net.feedForwardToLayer(0, x, false).get(1).toFloatVector();
            float[] logits = logitsNet.output(x, false).toFloatVector();
            float[] probabilities = net.output(x, false).toFloatVector();
            // the reference network is the trained one up to the softmax
            double normaliser = 0;
            for (float z : logits) {
                normaliser += Math.exp(z);
            }
            for (int i = 0; i < items; i++) {
                assertTrue(NeuralTestData.close(probabilities[i], (float) (Math.exp(logits[i]) / normaliser), 1e-5), "user " + u + " item " + i);
            }

            int[] row = data.itemsOf(u);
            float[][] history = new float[row.length][];
            for (int t = 0; t < row.length; t++) {
                history[t] = export.history().vector().apply(row[row.length - 1 - t]); // any order: a set
            }
            float[] user = encoder.encode(history, history.length);
            for (int c = 0; c < hidden; c++) {
                assertTrue(NeuralTestData.close(h[c], user[c], 1e-5), "user " + u + " dim " + c + ": network " + h[c] + " vs encoder " + user[c]);
                float stored = export.userVector().apply(u)[c];
                assertTrue(NeuralTestData.close(h[c], stored, 1e-6), "the stored user is the network's encoding: " + h[c] + " vs " + stored);
            }
            for (int i = 0; i < items; i++) {
                float score = encoded.score(user, export.itemVector().apply(i));
                assertTrue(NeuralTestData.close(logits[i], score, 1e-5), "user " + u + " item " + i + ": logit " + logits[i] + " vs " + score);
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
