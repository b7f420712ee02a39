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
        IalsConfig config = new IalsConfig(8, 10, 0.1, 10, IalsConfig.Confidence.BINARY, 3, 0.1, 7);
        TrainingControl control = new TrainingControl(TrainingListener.NONE, validator, 3);
        TrainedModel model = new IalsTrainer(config).fit(data, control);
        assertEquals(5, fingerprints.size(), "stopped 3 epochs after the best");
        assertEquals(2, control.bestEpoch());
        float returned = model.predict(0, 0) + 3 * model.predict(1, 2);
        assertEquals(fingerprints.get(1), returned, 0f);
        assertNotEquals(fingerprints.get(4), returned, "the last epoch's model is not the kept one");
    }
}
