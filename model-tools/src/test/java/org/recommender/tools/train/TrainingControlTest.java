package org.recommender.tools.train;

import org.junit.jupiter.api.Test;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.mf.IalsConfig;
import org.recommender.tools.train.mf.IalsTrainer;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Early stopping: which epoch is kept, when training stops, and what the listener hears. */
class TrainingControlTest {
    /** A validator that answers a fixed score per epoch, whatever the model. */
    private static EpochValidator scripted(double... scores) {
        int[] epoch = { 0 };
        return model -> scores[epoch[0]++];
    }

    @Test
    void keepsTheBestEpochAndStopsAfterPatienceEpochsWithoutImprovement() {
        List<String> heard = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void epochDone(int epoch, double loss) {
                heard.add("epoch " + epoch);
            }

            @Override
            public void validated(int epoch, double score) {
                heard.add("validated " + epoch + " " + score);
            }
        };
        TrainingControl control = new TrainingControl(listener, scripted(0.1, 0.3, 0.3, 0.2, 0.5), 2);
        List<Integer> kept = new ArrayList<>();
        assertFalse(control.epochDone(1, 5.0, null, () -> kept.add(1)));
        assertFalse(control.epochDone(2, 4.0, null, () -> kept.add(2)));
        assertFalse(control.epochDone(3, 3.5, null, () -> kept.add(3)), "an equal score is no improvement, but patience is 2");
        assertTrue(control.epochDone(4, 3.0, null, () -> kept.add(4)), "two epochs without improvement: stop");
        assertEquals(List.of(1, 2), kept);
        assertEquals(2, control.bestEpoch());
        assertEquals(List.of(5.0, 4.0, 3.5, 3.0), control.losses());
        assertEquals(List.of(0.1, 0.3, 0.3, 0.2), control.validationScores());
        assertEquals("epoch 1", heard.get(0));
        assertEquals("validated 1 0.1", heard.get(1));
        assertEquals(8, heard.size());
    }

    @Test
    void withoutAValidatorEveryEpochRunsAndNoneIsChosen() {
        TrainingControl control = TrainingControl.of(TrainingListener.NONE);
        for (int epoch = 1; epoch <= 50; epoch++) {
            assertFalse(control.epochDone(epoch, 1.0 / epoch, null, () -> {
                throw new AssertionError("nothing is kept without a validator");
            }));
        }
        assertFalse(control.validates());
        assertEquals(0, control.bestEpoch());
        assertEquals(50, control.losses().size());
        assertTrue(control.validationScores().isEmpty());
    }

    @Test
    void patienceBelowOneIsRefusedNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingControl(TrainingListener.NONE, m -> 0, 0));
        assertEquals("--patience must be at least 1 but was 0", e.getMessage());
    }

    /**
     * A trainer returns the model of the epoch the control kept, not the last one: the validation peaks at epoch 2 of
     * the 5 that run, and the returned model predicts exactly what the epoch-2 model predicted.
     */
    @Test
    void aTrainerReturnsTheModelOfTheKeptEpoch() {
        UserItemMatrix data = PlantedData.of(3).train();
        List<Float> fingerprints = new ArrayList<>();
        double[] scores = { 0.2, 0.9, 0.4, 0.5, 0.6, 0.7 };
        EpochValidator validator = model -> {
            fingerprints.add(model.predict(0, 0) + 3 * model.predict(1, 2));
            return scores[fingerprints.size() - 1];
        };
        IalsConfig config = new IalsConfig(8, 10, 0.1, 0, 10, IalsConfig.Confidence.BINARY, 3, 0.1, 7);
        TrainingControl control = new TrainingControl(TrainingListener.NONE, validator, 3);
        TrainedModel model = new IalsTrainer(config).fit(data, control);
        assertEquals(5, fingerprints.size(), "stopped 3 epochs after the best");
        assertEquals(2, control.bestEpoch());
        float returned = model.predict(0, 0) + 3 * model.predict(1, 2);
        assertEquals(fingerprints.get(1), returned, 0f);
        assertNotEquals(fingerprints.get(4), returned, "the last epoch's model is not the kept one");
    }

    /** An epoch loop whose "model" after epoch e predicts e everywhere, counting the snapshots it hands out. */
    private static final class CountingEpochs implements EpochLoop.Epochs {
        private final double[] losses;
        private final List<Integer> snapshots = new ArrayList<>();
        private int trained;

        CountingEpochs(double... losses) {
            this.losses = losses;
        }

        @Override
        public double train(int epoch) {
            trained = epoch;
            return losses[epoch - 1];
        }

        @Override
        public TrainedModel snapshot() {
            snapshots.add(trained);
            return new FactorModel("counting", new float[][] { { trained } }, new float[][] { { 1 } });
        }

        @Override
        public TrainedModel last() {
            return new FactorModel("counting", new float[][] { { -trained } }, new float[][] { { 1 } });
        }
    }

    /**
     * The loop every iterative trainer shares: the validation peaks at epoch 2, patience 2 stops after epoch 4, the
     * returned model is epoch 2's snapshot (not the last state), and the listener hears that epoch 2 of 4 was kept.
     */
    @Test
    void theSharedEpochLoopKeepsTheBestEpochsModelAndReportsWhichEpochWasKept() {
        double[] scores = { 0.1, 0.4, 0.3, 0.35, 0.9 };
        EpochValidator validator = model -> scores[(int) model.predict(0, 0) - 1];
        List<String> heard = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void kept(int epoch, int epochs, double score) {
                heard.add("kept " + epoch + " of " + epochs + " at " + score);
            }
        };
        TrainingControl control = new TrainingControl(listener, validator, 2);
        CountingEpochs epochs = new CountingEpochs(5, 4, 3, 2, 1, 0.5, 0.4, 0.3, 0.2, 0.1);
        TrainedModel model = EpochLoop.run("counting", 10, "hint", control, epochs);
        assertEquals(2f, model.predict(0, 0), "epoch 2's model, not epoch 4's");
        assertEquals(2, control.bestEpoch());
        assertEquals(List.of(5.0, 4.0, 3.0, 2.0), control.losses(), "stopped after epoch 4");
        assertEquals(List.of("kept 2 of 4 at 0.4"), heard);
        assertEquals(List.of(1, 2, 3, 4), epochs.snapshots, "one snapshot per validated epoch, shared by scoring and keeping");
    }

    /**
     * The default every command shares: the validation peaks at epoch 3, so with patience
     * {@link TrainingControl#DEFAULT_PATIENCE} (10) the loop runs epochs 4–13 without improvement, stops after 13 and
     * returns epoch 3's model.
     */
    @Test
    void theDefaultPatienceKeepsTheBestEpochAndStopsTenEpochsLater() {
        assertEquals(10, TrainingControl.DEFAULT_PATIENCE);
        double[] scores = new double[40];
        for (int e = 0; e < scores.length; e++) {
            scores[e] = e < 3 ? 0.1 * (e + 1) : 0.29 - 0.001 * e;
        }
        EpochValidator validator = model -> scores[(int) model.predict(0, 0) - 1];
        TrainingControl control = new TrainingControl(TrainingListener.NONE, validator, TrainingControl.DEFAULT_PATIENCE);
        double[] losses = new double[40];
        java.util.Arrays.fill(losses, 1);
        TrainedModel model = EpochLoop.run("counting", 40, "hint", control, new CountingEpochs(losses));
        assertEquals(3f, model.predict(0, 0), "epoch 3's model is kept");
        assertEquals(3, control.bestEpoch());
        assertEquals(13, control.losses().size(), "stopped ten epochs after the best one");
    }

    @Test
    void withoutAValidatorTheLoopRunsEveryEpochAndReturnsTheLastStateWithoutSnapshots() {
        List<String> heard = new ArrayList<>();
        TrainingControl control = TrainingControl.of(new TrainingListener() {
            @Override
            public void kept(int epoch, int epochs, double score) {
                heard.add("kept " + epoch);
            }
        });
        CountingEpochs epochs = new CountingEpochs(3, 2, 1);
        TrainedModel model = EpochLoop.run("counting", 3, "hint", control, epochs);
        assertEquals(-3f, model.predict(0, 0), "last() after epoch 3");
        assertTrue(epochs.snapshots.isEmpty(), "nothing is copied when nothing validates");
        assertEquals(3, control.losses().size());
        assertTrue(heard.isEmpty());
    }

    @Test
    void aLossThatIsNotFiniteStopsTheLoopNamingTheEpochAndTheHint() {
        CountingEpochs epochs = new CountingEpochs(1, Double.NaN, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> EpochLoop.run("counting", 3, "lower -P learning_rate (now 9)", TrainingControl.of(TrainingListener.NONE), epochs));
        assertEquals("counting diverged at epoch 2 (loss NaN); lower -P learning_rate (now 9)", e.getMessage());
    }
}
