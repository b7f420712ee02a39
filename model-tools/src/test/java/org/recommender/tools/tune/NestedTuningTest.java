package org.recommender.tools.tune;

import org.junit.jupiter.api.Test;
import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.SyntheticConfig;
import org.recommender.tools.data.SyntheticInteractions;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.eval.Fold;
import org.recommender.tools.eval.Protocol;
import org.recommender.tools.eval.ProtocolSettings;
import org.recommender.tools.eval.RatingEvaluator;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.SearchRange;
import org.recommender.tools.train.registry.Algorithms;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nested k-fold tuning: each outer fold's search trains and validates only on that fold's training part, the choice is
 * the best mean over the inner folds, and the outer test fold is read once, after its search.
 */
class NestedTuningTest {
    private static final int FOLDS = 3;
    private static final int INNER = 3;

    private static Interactions ratings() throws IOException {
        Interactions.Builder rows = new Interactions.Builder();
        new SyntheticInteractions(new SyntheticConfig(200, 80, 12, 4, 0.1, 1.0, 7)).generate(rows::add);
        return rows.build();
    }

    private static List<Fold> outerFolds(Interactions log) {
        return Protocol.RATING_KFOLD.folds(log, new ProtocolSettings(new int[] { 10 }, 2020, 99, null, 0, 0, FOLDS, 0));
    }

    /** Predicts 3 for every pair and remembers which pairs it was asked about: what a validator or a test reads. */
    private static final class Probe implements TrainedModel {
        private final int items;
        final Set<Long> asked = new HashSet<>();

        Probe(int items) {
            this.items = items;
        }

        @Override
        public float predict(int user, int item) {
            asked.add((long) user * items + item);
            return 3f;
        }

        @Override
        public void scoreAll(int user, float[] out) {
            throw new UnsupportedOperationException("rating models are read one pair at a time here");
        }

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public ServingExport export() {
            throw new UnsupportedOperationException();
        }
    }

    private static Set<Long> pairs(UserItemMatrix m) {
        Set<Long> s = new HashSet<>();
        for (int e = 0; e < m.nonZeros(); e++) {
            s.add((long) m.userOfEntry(e) * m.items() + m.itemOfEntry(e));
        }
        return s;
    }

    /** One call of the runner: during which outer fold, what it trained on, what its validator read. */
    private record Run(int fold, UserItemMatrix train, Set<Long> validated, boolean last) {}

    /**
     * A TrialRunner spy: it trains nothing, but records each call's training matrix and hands the validator a probe
     * model, so the pairs the validator reads are recorded too. Every training and validation pair of a fold's search
     * must lie in that fold's training part and never in its test fold; the outer test is read once per fold, after
     * its search and final fit.
     */
    @Test
    void theSearchOfAnOuterFoldNeverSeesItsTestFold() throws IOException {
        Interactions log = ratings();
        int items = log.items().size();
        List<Fold> real = outerFolds(log);
        List<String> events = new ArrayList<>();
        List<Fold> outer = new ArrayList<>();
        for (int f = 0; f < real.size(); f++) {
            Fold r = real.get(f);
            int fold = f;
            outer.add(new Fold(r.label(), r.split(), m -> {
                events.add("test " + fold);
                return r.test().apply(m);
            }, r.validator()));
        }
        List<Run> runs = new ArrayList<>();
        TrialRunner spy = (trainer, train, validator, label) -> {
            Probe probe = new Probe(items);
            double score = validator == null ? Double.NaN : validator.score(probe);
            int fold = (int) events.stream().filter(e -> e.startsWith("test")).count();
            runs.add(new Run(fold, train, Set.copyOf(probe.asked), validator == null));
            events.add(validator == null ? "final " + fold : "trial " + fold);
            return new TrialRunner.Fitted(probe, score, 1, 0, 0);
        };
        Tuner tuner = new Tuner("svd", Map.of(), 4, 2, SearchMethod.RANDOM, 3, Tuner.DEFAULT_ETA, 1);
        List<Tuning.Outcome> outcomes = Tuning.nested(outer, INNER, 2020, held -> new RatingEvaluator(held).validator(), tuner, spy,
            new Tuning.NestedProgress() {});

        assertEquals(FOLDS, outcomes.size());
        for (int f = 0; f < FOLDS; f++) {
            int fold = f;
            Set<Long> outerTrain = pairs(real.get(f).split().train());
            Set<Long> outerTest = pairs(real.get(f).split().test());
            assertFalse(outerTest.isEmpty());
            List<Run> search = runs.stream().filter(r -> r.fold() == fold && r.last() == false).toList();
            assertEquals(3 * INNER, search.size(), "three settings, each on every inner fold");
            Set<Long> validatedOverall = new HashSet<>();
            for (Run r : search) {
                Set<Long> trained = pairs(r.train());
                assertTrue(outerTrain.containsAll(trained), "trained only on the outer training part");
                assertTrue(r.validated().isEmpty() == false, "the validator read some ratings");
                assertTrue(outerTrain.containsAll(r.validated()), "validated only on the outer training part");
                for (long pair : outerTest) {
                    assertFalse(trained.contains(pair) || r.validated().contains(pair), "fold " + fold + "'s test pair " + pair + " reached its search");
                }
                for (long pair : r.validated()) {
                    assertFalse(trained.contains(pair), "an inner fold validates on ratings it did not train on");
                }
                validatedOverall.addAll(r.validated());
            }
            assertEquals(outerTrain, validatedOverall, "the inner validation folds cover the outer training part");
            List<Run> last = runs.stream().filter(r -> r.fold() == fold && r.last()).toList();
            assertEquals(1, last.size(), "one final fit per outer fold");
            assertSame(real.get(f).split().train(), last.get(0).train(), "the choice is retrained on the whole outer training part");
            assertEquals(1, events.stream().filter(("test " + f)::equals).count(), events.toString());
            int testAt = events.indexOf("test " + f);
            assertEquals("final " + f, events.get(testAt - 1), "the outer test comes right after the fold's final fit");
            assertTrue(outcomes.get(f).test().metrics().containsKey("rmse"));
        }
    }

    /**
     * A fake runner scores by call order (setting 1 on inner folds 1–3, setting 2 …, then the final fit), so the
     * choice can be worked out by hand (RMSE, lower is better). Outer fold 1: setting 1 has the single best inner
     * score (0.90) but setting 2 the best mean (0.95 against 0.96 and 0.96). Outer fold 2: setting 1 would win on its
     * two numbers, but one of its inner runs diverged (NaN), so setting 3 (0.94) is chosen. Outer fold 3: setting 1
     * (0.94). chosen.json's setting: each was chosen once; by mean over the three folds setting 1 is NaN (worst),
     * setting 2 (0.95 + 0.97 + 0.96) / 3 = 0.96, setting 3 (0.96 + 0.94 + 0.95) / 3 = 0.95 — setting 3.
     */
    @Test
    void eachFoldChoosesTheBestMeanInnerScoreAndTheFileTheMostChosen() throws IOException {
        double nan = Double.NaN;
        double[][][] rmse = {
            { { 0.90, 1.00, 0.98 }, { 0.95, 0.95, 0.95 }, { 0.92, 0.99, 0.97 } },
            { { 0.93, nan, 0.93 }, { 0.97, 0.97, 0.97 }, { 0.94, 0.94, 0.94 } },
            { { 0.94, 0.94, 0.94 }, { 0.96, 0.96, 0.96 }, { 0.95, 0.95, 0.95 } } };
        Interactions log = ratings();
        List<Fold> outer = outerFolds(log);
        int[] fold = { 0 };
        int[] call = { 0 };
        List<Map<String, Object>> finals = new ArrayList<>();
        TrialRunner fake = (trainer, train, validator, label) -> {
            if (validator == null) {
                finals.add(trainer.parameters());
                fold[0]++;
                call[0] = 0;
                return new TrialRunner.Fitted(new Probe(log.items().size()), Double.NaN, 1, 0, 0);
            }
            int c = call[0]++;
            return new TrialRunner.Fitted(new Probe(log.items().size()), -rmse[fold[0]][c / INNER][c % INNER], 1, 0, 0);
        };
        Tuner tuner = new Tuner("svd", Map.of(), null, null, SearchMethod.RANDOM, 3, Tuner.DEFAULT_ETA, 5);
        List<Tuning.Outcome> outcomes = Tuning.nested(outer, INNER, 2020, held -> new RatingEvaluator(held).validator(), tuner, fake,
            new Tuning.NestedProgress() {});

        Tuner.Search first = outcomes.get(0).search();
        assertEquals(List.of(-0.90, -1.00, -0.98), first.trials().get(0).holdouts());
        assertEquals(-0.96, first.trials().get(0).validation(), 1e-12);
        assertEquals(-0.95, first.trials().get(1).validation(), 1e-12);
        assertEquals(2, first.chosen().config(), "the best mean, not the best single inner fold");
        assertTrue(Double.isNaN(outcomes.get(1).search().trials().get(0).validation()));
        assertEquals(3, outcomes.get(1).search().chosen().config(), "a diverged inner run is never chosen");
        assertEquals(1, outcomes.get(2).search().chosen().config());
        for (int f = 1; f < FOLDS; f++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(first.trials().get(c).settings(), outcomes.get(f).search().trials().get(c).settings(),
                    "every outer fold draws the same settings, so they compare across folds");
            }
        }

        for (int f = 0; f < FOLDS; f++) {
            Map<String, String> chosen = outcomes.get(f).search().chosen().settings();
            assertEquals(Double.parseDouble(chosen.get("learning_rate")), ((Number) finals.get(f).get("learning_rate")).doubleValue());
            assertEquals(Integer.parseInt(chosen.get("epochs")), ((Number) finals.get(f).get("epochs")).intValue(),
                "the final fit trains the chosen (searched) epochs");
            assertEquals(Integer.parseInt(chosen.get("dims")), ((Number) finals.get(f).get("dims")).intValue());
        }

        Tuning.Consensus consensus = Tuning.consensus(outcomes);
        assertEquals(3, consensus.config());
        assertEquals(1, consensus.chosenOn());
        assertEquals(3, consensus.folds());
        assertEquals(-0.95, consensus.validation(), 1e-12);
        assertEquals(first.trials().get(2).settings(), consensus.settings());
    }

    /**
     * SVD's epochs are searched under random search when --epochs is not given (as Surprise's GridSearchCV searches
     * n_epochs), fixed otherwise; the declared ranges reach Surprise's default SVD and the 200-factor corner.
     */
    @Test
    void svdSearchesItsEpochsAndItsRangesCoverTheKnownSettings() {
        Tuner searched = new Tuner("svd", Map.of(), null, null, SearchMethod.RANDOM, 4, Tuner.DEFAULT_ETA, 1);
        assertEquals(List.of("dims", "epochs", "learning_rate", "regularization"), searched.searched().stream().map(HyperParameter::name).toList());
        assertTrue(searched.searchesEpochs());
        assertEquals(40, searched.epochBudget(Map.of("epochs", "40")));
        assertEquals(40, ((Number) searched.trainer(Map.of("epochs", "40"), 999).parameters().get("epochs")).intValue());

        Tuner given = new Tuner("svd", Map.of(), null, 30, SearchMethod.RANDOM, 4, Tuner.DEFAULT_ETA, 1);
        assertFalse(given.searchesEpochs());
        assertEquals(30, given.maxEpochs());
        Tuner halving = new Tuner("svd", Map.of(), null, null, SearchMethod.HALVING, 9, 3, 1);
        assertFalse(halving.searchesEpochs(), "halving spends the epochs itself");
        assertEquals(20, halving.maxEpochs(), "svd's default epochs");
        assertEquals(9 + 3 + 1, halving.trainings());
        assertEquals(4, searched.trainings());

        // Surprise's default SVD (100 factors, 20 epochs, lr 0.005, reg 0.02) and 200 factors / 80 epochs / 0.005 / 0.1
        for (Map<String, Double> known : List.of(Map.of("dims", 100.0, "epochs", 20.0, "learning_rate", 0.005, "regularization", 0.02),
            Map.of("dims", 200.0, "epochs", 80.0, "learning_rate", 0.005, "regularization", 0.1))) {
            for (HyperParameter<?> p : Algorithms.parameters("svd")) {
                Double value = known.get(p.name());
                if (value != null) {
                    assertTrue(covers(p.search(), value), p.name() + " " + p.search().describe() + " misses " + value);
                }
            }
        }
        assertNull(Algorithms.parameters("svd").stream().filter(p -> p.name().equals("init_std")).findFirst().orElseThrow().search());
    }

    /**
     * Halving's first rung trains for the budget / η^(rungs − 1) epochs: when the algorithm refuses so few (bpmf's
     * sweeps must pass its burn-in), the search is refused before it starts, saying why and what to change.
     */
    @Test
    void halvingRefusesAFirstRungTheAlgorithmCannotTrain() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Tuner("bpmf", Map.of(), null, null, SearchMethod.HALVING, 9, 3, 1));
        assertEquals("--search halving trains its first rung for 11 epochs (--epochs 100 / --eta 3^2), which bpmf refuses: --epochs (11) must "
            + "exceed -P burn_in (20) by at least -P thin (2), so that a sample is kept; raise --epochs, or lower --trials", e.getMessage());
        Tuner longer = new Tuner("bpmf", Map.of(), null, 300, SearchMethod.HALVING, 9, 3, 1);
        assertEquals(9 + 3 + 1, longer.trainings());
        Tuner shorterBurnIn = new Tuner("bpmf", Map.of("burn_in", "5"), null, null, SearchMethod.HALVING, 9, 3, 1);
        assertEquals(List.of("dims"), shorterBurnIn.searched().stream().map(HyperParameter::name).toList());
    }

    private static boolean covers(SearchRange<?> range, double value) {
        List<?> extremes = range.extremes();
        if (range instanceof SearchRange.OneOf<?>) {
            return extremes.stream().anyMatch(v -> ((Number) v).doubleValue() == value);
        }
        return ((Number) extremes.get(0)).doubleValue() <= value && value <= ((Number) extremes.get(1)).doubleValue();
    }
}
