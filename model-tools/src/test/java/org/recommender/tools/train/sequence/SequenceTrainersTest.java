package org.recommender.tools.train.sequence;

import org.junit.jupiter.api.Test;
import org.recommender.core.model.ModelBundle;
import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.eval.Fold;
import org.recommender.tools.eval.LeaveLatestOut;
import org.recommender.tools.eval.Protocol;
import org.recommender.tools.eval.Split;
import org.recommender.tools.train.PopularityModel;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.TrainingListener;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SASRec and GRU4Rec on a planted sequential pattern — every user walks a chain of items i → i+1 → i+2 from a random
 * start — under the sequential protocol: the next item is fully determined by the last one, so a working sequence
 * model ranks the test item near the top, while popularity (and any model that ignores order) cannot.
 */
class SequenceTrainersTest {
    private static final int ITEMS = 60;

    /** 300 users, each 8–15 consecutive items from a random start, one per time step. */
    static Interactions chains(long seed) {
        return chains(seed, 300, 8, 8);
    }

    /** {@code users} users, each {@code min} to {@code min + spread − 1} consecutive items from a random start. */
    static Interactions chains(long seed, int users, int min, int spread) {
        SplittableRandom random = new SplittableRandom(seed);
        Interactions.Builder b = new Interactions.Builder();
        for (int u = 0; u < users; u++) {
            int start = random.nextInt(ITEMS - 15);
            int length = min + random.nextInt(spread);
            for (int k = 0; k < length; k++) {
                b.add("u" + u, "i" + (start + k), 1, 1000L * u + k);
            }
        }
        return b.build();
    }

    private static SasRecTrainer sasrec(int epochs, long seed) {
        return new SasRecTrainer(new SasRecConfig(16, epochs, 8, 1, 1, 0, 0.1, 0.02, 128, 1, 0.1, seed));
    }

    private static Gru4RecTrainer gru(int epochs, long seed) {
        return new Gru4RecTrainer(new Gru4RecConfig(16, 16, epochs, 10, 0.1, 0.01, 32, 0.02, seed));
    }

    private static void learnsChains(Trainer trainer) {
        Split split = new LeaveLatestOut().apply(chains(7, 100, 6, 3));
        Fold fold = Protocol.fullRanking(split, new int[] { 10 }, false);
        TrainingControl control = new TrainingControl(new TrainingListener() {}, fold.validator(), 5);
        TrainedModel model = trainer.fit(split.train(), control);
        double hr = fold.test().apply(model).metrics().get("hr@10");
        double popularity = fold.test().apply(new PopularityModel(split.train())).metrics().get("hr@10");
        assertTrue(hr > popularity + 0.3, trainer.name() + " HR@10 " + hr + " vs popularity " + popularity);
        // the export: items' vectors, a dot model over them, and the encoder bundle the plugin runs
        ServingExport export = model.export();
        assertEquals("dot", export.bundle().type());
        assertTrue(export.encoder().isEncoder());
        assertEquals(trainer.name(), export.encoder().type());
        assertEquals(16, export.itemDims());
        ModelBundle.parse(export.encoder().toBytes()).compileEncoder();
    }

    @Test
    void sasrecLearnsTheChainFarAbovePopularity() {
        learnsChains(sasrec(40, 1));
    }

    @Test
    void gru4recLearnsTheChainFarAbovePopularity() {
        learnsChains(gru(40, 1));
    }

    /** The same seed gives the same model: initial weights, window order and dropout masks all come from it. */
    @Test
    void sameSeedSameModel() {
        UserItemMatrix train = new LeaveLatestOut().apply(chains(3, 100, 6, 3)).train();
        for (int pass = 0; pass < 2; pass++) {
            Trainer[] twice = pass == 0 ? new Trainer[] { sasrec(1, 9), sasrec(1, 9), sasrec(1, 10) }
                : new Trainer[] { gru(1, 9), gru(1, 9), gru(1, 10) };
            float[][] items = new float[3][];
            for (int t = 0; t < 3; t++) {
                items[t] = twice[t].fit(train, TrainingControl.of(new TrainingListener() {})).export().itemVector().apply(5);
            }
            assertArrayEquals(items[0], items[1], twice[0].name());
            assertTrue(java.util.Arrays.equals(items[0], items[2]) == false, twice[0].name() + ": another seed, another model");
        }
    }

    /** A split that does not keep time order is refused, by the protocol up front and by the trainer itself. */
    @Test
    void refusesDataWithoutTimeOrder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocol.RANDOM.requireOrderFor("sasrec", true));
        assertTrue(e.getMessage().contains("--protocol random") && e.getMessage().contains("sequential"), e.getMessage());
        Protocol.SEQUENTIAL.requireOrderFor("sasrec", true);
        Protocol.RANDOM.requireOrderFor("bpr", false);
        UserItemMatrix unordered = UserItemMatrix.fromPairs(2, 3, new int[] { 0, 0, 1 }, new int[] { 0, 1, 2 });
        for (Trainer trainer : new Trainer[] { sasrec(1, 1), gru(1, 1) }) {
            assertTrue(trainer.needsOrder(), trainer.name());
            e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(unordered, TrainingControl.of(new TrainingListener() {})));
            assertTrue(e.getMessage().startsWith(trainer.name()) && e.getMessage().contains("time order"), e.getMessage());
        }
    }

    /**
     * The mean of a user's newest items' iALS vectors: on chains the mean sits near the user's recent items, so it ranks
     * the next item better than popularity; and the test reads the history with the validation item.
     */
    @Test
    void meanHistoryAveragesRecentItems() {
        Split split = new LeaveLatestOut().apply(chains(7));
        Fold fold = Protocol.fullRanking(split, new int[] { 10 }, false);
        TrainedModel model = new MeanHistoryTrainer(new org.recommender.tools.train.mf.IalsConfig(16, 10, 0.1, 0, 10,
            org.recommender.tools.train.mf.IalsConfig.Confidence.BINARY, 3, 0.01, 1)).fit(split.train(), TrainingControl.of(new TrainingListener() {}));
        double hr = fold.test().apply(model).metrics().get("hr@10");
        double popularity = fold.test().apply(new PopularityModel(split.train())).metrics().get("hr@10");
        assertTrue(hr > popularity, "mean-history HR@10 " + hr + " vs popularity " + popularity);
        assertEquals("dot", model.export().bundle().type());
        assertEquals(null, model.export().encoder());
    }

    /** Validation reads the training sequences; the test reads training then validation items, as serving would. */
    @Test
    void testHistoryIncludesTheValidationItem() {
        Split split = new LeaveLatestOut().apply(chains(5));
        int[] train = split.train().sequences().of(0);
        int[] before = split.seenBeforeTest().sequences().of(0);
        assertEquals(train.length + 1, before.length);
        assertArrayEquals(train, java.util.Arrays.copyOf(before, train.length));
        assertEquals(split.validation().itemsOf(0)[0], before[before.length - 1]);
        // chain order: consecutive item indices in the id map's order of first appearance
        for (int k = 1; k < before.length; k++) {
            assertEquals(before[k - 1] + 1, before[k]);
        }
    }
}
