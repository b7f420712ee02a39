package org.recommender.tools.train.neural;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeuMfTrainerTest {
    @BeforeAll
    static void threads() {
        NeuralTestData.oneNativeThread();
    }

    /** Larger minibatches and a higher rate than the defaults: DL4J's per-minibatch overhead dominates this small model. */
    private static NcfConfig config(int epochs, double learningRate, long seed) {
        return new NcfConfig(NcfConfig.GMF_DIMS.defaultValue(), NcfConfig.MLP_DIMS.defaultValue(), NcfConfig.LAYERS.defaultValue(),
            NcfConfig.NEGATIVES.defaultValue(), epochs, 0, learningRate, NcfConfig.L2.defaultValue(), 2048, seed);
    }

    private static Map<String, Double>[] trainAndEvaluate(boolean withGmf, int epochs, double learningRate) throws IOException {
        PlantedData split = NeuralTestData.planted(42);
        NcfConfig config = config(epochs, learningRate, 42);
        RecordingListener recording = new RecordingListener();
        TrainingControl control = TrainingControl.of(recording);
        List<Double> losses = recording.losses();
        var trainer = withGmf ? NcfTrainer.neumf(config) : NcfTrainer.mlp(config);
        long start = System.nanoTime();
        TrainedModel model = trainer.fit(split.train(), control);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(trainer.totalSteps(split.train()), recording.steps());
        assertEquals(epochs, losses.size());
        assertTrue(losses.get(epochs - 1) < losses.get(0), losses.toString());
        Map<String, Double> result = split.evaluate(model);
        Map<String, Double> popularity = split.popularity();
        System.out.printf("%s: %s vs %s; %.1f s for %d epochs; losses %s%n", trainer.name(), result, popularity, seconds, epochs, losses);
        @SuppressWarnings("unchecked")
        Map<String, Double>[] both = new Map[] { result, popularity };
        return both;
    }

    /**
     * On planted taste clusters NeuMF must clearly beat popularity; a broken graph, sampler, label order or export
     * falls to popularity level or below.
     */
    @Test
    void neuMfBeatsPopularityOnPlantedStructure() throws IOException {
        Map<String, Double>[] r = trainAndEvaluate(true, 8, 0.01);
        String report = r[0] + " vs " + r[1];
        assertTrue(r[0].get("hr@10") >= 1.5 * r[1].get("hr@10"), report);
        assertTrue(r[0].get("ndcg@10") >= 1.5 * r[1].get("ndcg@10"), report);
    }

    @Test
    void mlpBeatsPopularityOnPlantedStructure() throws IOException {
        Map<String, Double>[] r = trainAndEvaluate(false, 8, 0.01);
        String report = r[0] + " vs " + r[1];
        assertTrue(r[0].get("hr@10") >= 1.5 * r[1].get("hr@10"), report);
        assertTrue(r[0].get("ndcg@10") >= 1.5 * r[1].get("ndcg@10"), report);
    }

    /** The exported bundle scores exactly what the DL4J graph computes (its logit), and scoreAll what the bundle does. */
    @Test
    void exportScoresLikeTheNetwork() {
        for (boolean withGmf : new boolean[] { true, false }) {
            int users = 7;
            int items = 40;
            NcfConfig config = new NcfConfig(3, 5, List.of(6, 4), 2, 1, 0, 0.01, 0, 64, 3);
            ComputationGraph graph = NcfNetwork.build(config, users, items, withGmf);
            // a few steps so the weights are not just the initialisation (biases move away from zero)
            SplittableRandom random = new SplittableRandom(1);
            for (int step = 0; step < 20; step++) {
                INDArray u = Nd4j.create(DataType.FLOAT, 32, 1);
                INDArray i = Nd4j.create(DataType.FLOAT, 32, 1);
                INDArray y = Nd4j.create(DataType.FLOAT, 32, 1);
                for (int r = 0; r < 32; r++) {
                    u.putScalar(r, 0, random.nextInt(users));
                    i.putScalar(r, 0, random.nextInt(items));
                    y.putScalar(r, 0, random.nextInt(2));
                }
                graph.fit(new INDArray[] { u, i }, new INDArray[] { y });
            }
            NcfModel model = NcfNetwork.snapshot(withGmf ? NcfTrainer.NEUMF : NcfTrainer.MLP, graph, config, withGmf);
            ServingExport export = model.export();
            assertEquals(withGmf ? "neumf" : "mlp", export.bundle().type());
            assertEquals(withGmf ? 8 : 5, export.userDims());
            ScoringModel compiled = export.bundle().compile();
            float[] all = new float[items];
            for (int user = 0; user < users; user++) {
                model.scoreAll(user, all);
                INDArray u = Nd4j.create(DataType.FLOAT, items, 1).assign(user);
                INDArray i = Nd4j.arange(items).castTo(DataType.FLOAT).reshape(items, 1);
                float[] probabilities = graph.outputSingle(u, i).toFloatVector();
                for (int item = 0; item < items; item++) {
                    float single = compiled.score(export.userVector().apply(user), export.itemVector().apply(item));
                    String where = (withGmf ? "neumf" : "mlp") + " user " + user + " item " + item;
                    assertTrue(NeuralTestData.close(single, all[item], 1e-4), where + ": " + single + " vs scoreAll " + all[item]);
                    assertTrue(NeuralTestData.close(single, model.predict(user, item), 1e-4), where);
                    double logit = Math.log(probabilities[item] / (1.0 - probabilities[item]));
                    assertTrue(NeuralTestData.close((float) logit, single, 1e-4), where + ": network logit " + logit + " vs bundle " + single);
                }
            }
        }
    }

    /** The paper's pre-training: GMF and MLP trained apart, NeuMF started from both; must still beat popularity clearly. */
    @Test
    void pretrainedNeuMfBeatsPopularityOnPlantedStructure() throws IOException {
        PlantedData split = NeuralTestData.planted(42);
        // fine-tuning runs plain SGD, which at Adam's rate would barely move: it gets a rate of its own scale
        NcfConfig config = new NcfConfig(NcfConfig.GMF_DIMS.defaultValue(), NcfConfig.MLP_DIMS.defaultValue(), NcfConfig.LAYERS.defaultValue(), 4, 2, 6, 0.01, 0, 2048, 42);
        RecordingListener recording = new RecordingListener();
        NcfTrainer trainer = NcfTrainer.neumf(config);
        long start = System.nanoTime();
        TrainedModel model = trainer.fit(split.train(), TrainingControl.of(recording));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(trainer.totalSteps(split.train()), recording.steps());
        Map<String, Double> result = split.evaluate(model);
        Map<String, Double> popularity = split.popularity();
        System.out.printf("pretrained neumf: %s vs %s; %.1f s for 6+6 pre-training and 2 epochs%n", result, popularity, seconds);
        String report = result + " vs " + popularity;
        assertTrue(result.get("hr@10") >= 1.5 * popularity.get("hr@10"), report);
        assertTrue(result.get("ndcg@10") >= 1.5 * popularity.get("ndcg@10"), report);
    }

    /** Before fine-tuning, the initialised NeuMF's logit is exactly α·GMF's + (1−α)·MLP's (α = 0.5). */
    @Test
    void pretrainingInitialisesNeuMfAsTheBlendOfGmfAndMlp() {
        int users = 5;
        int items = 12;
        NcfConfig config = new NcfConfig(3, 4, List.of(5, 2), 2, 1, 1, 0.01, 0, 64, 7);
        var gmf = NcfNetwork.buildGmf(config, users, items, 1);
        var mlp = NcfNetwork.build(config, users, items, false, new org.nd4j.linalg.learning.config.Adam(0.01), 2);
        var neumf = NcfNetwork.build(config, users, items, true, new org.nd4j.linalg.learning.config.Sgd(0.01), 3);
        // random output biases so the bias blend is checked too
        gmf.getLayer(NcfNetwork.OUT).getParam("b").assign(0.3);
        mlp.getLayer(NcfNetwork.OUT).getParam("b").assign(-0.7);
        NcfNetwork.initialiseFrom(neumf, gmf, mlp, config, NcfTraining.PRETRAIN_ALPHA);
        INDArray u = Nd4j.create(new float[] { 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1 }, new long[] { items, 1 }, 'c');
        INDArray i = Nd4j.arange(items).castTo(DataType.FLOAT).reshape(items, 1);
        float[] g = gmf.outputSingle(u, i).toFloatVector();
        float[] m = mlp.outputSingle(u, i).toFloatVector();
        float[] n = neumf.outputSingle(u, i).toFloatVector();
        for (int k = 0; k < items; k++) {
            double expected = 0.5 * logit(g[k]) + 0.5 * logit(m[k]);
            assertTrue(NeuralTestData.close((float) expected, (float) logit(n[k]), 1e-4), k + ": " + expected + " vs " + logit(n[k]));
        }
    }

    private static double logit(float p) {
        return Math.log(p / (1.0 - p));
    }

    /**
     * With one native thread (as these tests run) the same seed reproduces the model bit for bit; another seed does
     * not. With several native threads this is not promised (see {@link NcfTrainer}).
     */
    @Test
    void sameSeedReproducesTheModelOnOneThread() throws IOException {
        UserItemMatrix data = NeuralTestData.planted(5).train();
        float[][] scores = new float[3][data.items()];
        long[] seeds = { 11, 11, 12 };
        for (int run = 0; run < 3; run++) {
            NcfConfig config = new NcfConfig(4, 4, List.of(4), 1, 1, 0, 0.01, 0, 4096, seeds[run]);
            NcfTrainer.neumf(config).fit(data, TrainingControl.of(TrainingListener.NONE)).scoreAll(0, scores[run]);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(scores[0], scores[1]);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(scores[0], scores[2]));
    }

    @Test
    void configRejectsNonsense() {
        assertEquals("-P gmf_dims must be between 1 and 2048 but was 0",
            assertThrows(IllegalArgumentException.class, () -> new NcfConfig(0, 8, List.of(8), 4, 1, 0, 0.001, 0, 256, 1)).getMessage());
        assertMessageStarts("--dims", () -> new NcfConfig(8, 0, List.of(8), 4, 1, 0, 0.001, 0, 256, 1));
        assertMessageStarts("-P layers", () -> new NcfConfig(8, 8, List.of(), 4, 1, 0, 0.001, 0, 256, 1));
        assertMessageStarts("-P layers", () -> new NcfConfig(8, 8, List.of(8, 0), 4, 1, 0, 0.001, 0, 256, 1));
        assertMessageStarts("-P negatives", () -> new NcfConfig(8, 8, List.of(8), 0, 1, 0, 0.001, 0, 256, 1));
        assertMessageStarts("--epochs", () -> new NcfConfig(8, 8, List.of(8), 4, 0, 0, 0.001, 0, 256, 1));
        assertMessageStarts("-P pretrain_epochs", () -> new NcfConfig(8, 8, List.of(8), 4, 1, -1, 0.001, 0, 256, 1));
        assertMessageStarts("-P learning_rate", () -> new NcfConfig(8, 8, List.of(8), 4, 1, 0, 0, 0, 256, 1));
        assertMessageStarts("-P learning_rate", () -> new NcfConfig(8, 8, List.of(8), 4, 1, 0, Double.NaN, 0, 256, 1));
        assertMessageStarts("-P l2", () -> new NcfConfig(8, 8, List.of(8), 4, 1, 0, 0.001, -1, 256, 1));
        assertMessageStarts("-P batch_size", () -> new NcfConfig(8, 8, List.of(8), 4, 1, 0, 0.001, 0, 0, 1));
    }

    static void assertMessageStarts(String option, org.junit.jupiter.api.function.Executable bad) {
        String message = assertThrows(IllegalArgumentException.class, bad).getMessage();
        assertTrue(message.startsWith(option + " "), message);
    }

    @Test
    void samplerDrawsOnlyNonInteractedNegatives() {
        UserItemMatrix data = UserItemMatrix.fromPairs(2, 5, new int[] { 0, 0, 1 }, new int[] { 0, 1, 4 });
        int[] users = new int[15];
        int[] items = new int[15];
        float[] labels = new float[15];
        int rows = NcfTraining.sample(data, 4, new SplittableRandom(9), users, items, labels);
        assertEquals(15, rows);
        int positives = 0;
        for (int r = 0; r < rows; r++) {
            assertEquals(labels[r] == 1f, data.contains(users[r], items[r]), "row " + r);
            positives += labels[r] == 1f ? 1 : 0;
        }
        assertEquals(3, positives);
    }
}
