package org.recommender.tools.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.eval.LeaveLatestOut;
import org.recommender.tools.eval.RankingEvaluator;
import org.recommender.tools.eval.Split;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BprTrainerTest {
    private static PlantedData plantedData(long seed) {
        return PlantedData.of(seed);
    }

    private static BprConfig config(int epochs, long seed) {
        return BprConfig.defaults(epochs, seed);
    }

    /**
     * On data with planted taste clusters, BPR must clearly beat the popularity ranking. Measured with these settings:
     * BPR HR@10 ≈ 0.34, NDCG@10 ≈ 0.18; popularity ≈ 0.085 / 0.045 (other generator seeds: BPR 0.30–0.36,
     * popularity 0.07–0.08). A broken gradient, sampler or evaluator drops BPR to popularity level or below.
     */
    @Test
    void bprBeatsPopularityOnPlantedStructure() throws IOException {
        assertBeatsPopularity(config(BprConfig.EPOCHS.defaultValue(), 42));
    }

    /** LearnBPR's SGD, with the settings that were its defaults before Adam. */
    @Test
    void sgdBprBeatsPopularityOnPlantedStructure() throws IOException {
        assertBeatsPopularity(new BprConfig(BprConfig.DIMS.defaultValue(), BprConfig.EPOCHS.defaultValue(), 0.05, 0.01, 0.1, "sgd", 2048, 42));
    }

    private static void assertBeatsPopularity(BprConfig config) throws IOException {
        PlantedData data = plantedData(42);
        FactorModel model = new BprTrainer(config).train(data.train(), TrainingListener.NONE);
        RankingEvaluator.Outcome outcome = data.outcome(model);
        Map<String, Double> bpr = outcome.metrics();
        Map<String, Double> popularity = data.popularity();
        assertEquals(1000, outcome.users());
        String report = "bpr " + bpr + " vs " + popularity;
        assertTrue(bpr.get("hr@10") >= 1.5 * popularity.get("hr@10"), report);
        assertTrue(bpr.get("ndcg@10") >= 1.5 * popularity.get("ndcg@10"), report);
        assertTrue(bpr.get("hr@10") >= 0.25, report);
        assertTrue(bpr.get("ndcg@10") >= 0.13, report);
    }

    @Test
    void sameSeedGivesIdenticalVectorsAndAnotherSeedDoesNot() throws IOException {
        UserItemMatrix data = plantedData(5).train();
        FactorModel a = new BprTrainer(config(3, 11)).train(data, TrainingListener.NONE);
        FactorModel b = new BprTrainer(config(3, 11)).train(data, TrainingListener.NONE);
        FactorModel c = new BprTrainer(config(3, 12)).train(data, TrainingListener.NONE);
        for (int u = 0; u < a.users(); u++) {
            assertArrayEquals(a.user(u), b.user(u));
        }
        for (int i = 0; i < a.items(); i++) {
            assertArrayEquals(a.item(i), b.item(i));
        }
        assertFalse(Arrays.equals(a.item(0), c.item(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "sgd", "adam" })
    void lossFallsAndTheListenerHearsEveryStep(String optimizer) {
        // two users with disjoint tastes
        UserItemMatrix data = UserItemMatrix.fromPairs(2, 4, new int[] { 0, 0, 1, 1 }, new int[] { 0, 1, 2, 3 });
        RecordingListener recording = new RecordingListener();
        List<Double> losses = recording.losses();
        // Adam's α of 0.1 with batches of 2 moves each factor by up to 0.1 a step, as SGD's 0.1 does here
        BprTrainer trainer = new BprTrainer(new BprConfig(4, 200, 0.1, 0.0, 0.1, optimizer, 2, 1));
        FactorModel model = trainer.train(data, recording);
        assertEquals(200, losses.size());
        assertEquals(trainer.totalSteps(data), recording.steps());
        assertTrue(losses.get(199) < losses.get(0) / 5, losses.toString());
        float[] scores = new float[4];
        model.scoreAll(0, scores);
        assertTrue(Math.min(scores[0], scores[1]) > Math.max(scores[2], scores[3]), Arrays.toString(scores));
    }

    /** With learning rate × regularization above 2 every step overshoots, and the factors blow up. */
    @Test
    void divergenceIsReportedWithAHint() {
        UserItemMatrix data = UserItemMatrix.fromPairs(2, 4, new int[] { 0, 0, 1, 1 }, new int[] { 0, 1, 2, 3 });
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> new BprTrainer(new BprConfig(4, 50, 10, 1, 0.1, "sgd", 2048, 1)).train(data, TrainingListener.NONE));
        assertTrue(e.getMessage().startsWith("bpr diverged at epoch "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; lower -P learning_rate (now 10)"), e.getMessage());
    }

    @Test
    void configRejectsNonsense() {
        assertEquals("--dims must be between 1 and 4096 but was 0",
            assertThrows(IllegalArgumentException.class, () -> new BprConfig(0, 1, 0.1, 0, 0.1, "adam", 2048, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BprConfig(8, 0, 0.1, 0, 0.1, "adam", 2048, 1));
        assertThrows(IllegalArgumentException.class, () -> new BprConfig(8, 1, 0, 0, 0.1, "adam", 2048, 1));
        assertThrows(IllegalArgumentException.class, () -> new BprConfig(8, 1, 0.1, -1, 0.1, "adam", 2048, 1));
    }
}
