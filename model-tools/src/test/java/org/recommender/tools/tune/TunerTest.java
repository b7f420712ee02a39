package org.recommender.tools.tune;

import org.junit.jupiter.api.Test;
import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.SyntheticConfig;
import org.recommender.tools.data.SyntheticInteractions;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.eval.Fold;
import org.recommender.tools.eval.Protocol;
import org.recommender.tools.eval.ProtocolSettings;
import org.recommender.tools.eval.RankingEvaluator;
import org.recommender.tools.train.EpochValidator;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.SettingDoesNotTrainException;
import org.recommender.tools.train.TrainingDivergedException;
import org.recommender.tools.train.TrainingListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search: selection on validation only, the test set read once at the end, argmax choice, seeded draws, halving. */
class TunerTest {
    private static Fold fold() throws IOException {
        Interactions.Builder rows = new Interactions.Builder();
        new SyntheticInteractions(new SyntheticConfig(300, 120, 15, 6, 0.1, 1.0, 5)).generate(rows::add);
        ProtocolSettings settings = new ProtocolSettings(new int[] { 10 }, 2020, 99, null, 0.1, 0.1, 1, TrainingControl.DEFAULT_PATIENCE);
        return Protocol.RANDOM.folds(rows.build(), settings).get(0);
    }

    /** Trains with the default patience, as the command does, and records which matrix each run learned from. */
    private static TrialRunner runner(List<UserItemMatrix> seen) {
        return (trainer, train, validator, label) -> {
            seen.add(train);
            TrainingControl control = new TrainingControl(TrainingListener.NONE, validator, TrainingControl.DEFAULT_PATIENCE);
            TrainedModel model = trainer.fit(train, control);
            double validation = control.validationScores().get(control.bestEpoch() - 1);
            return new TrialRunner.Fitted(model, validation, control.losses().size(), control.bestEpoch(), 0);
        };
    }

    /**
     * A protocol spy: the fold's test and validator log every call. The search may only validate; the test is read
     * exactly once, after every validation, on the final model — by construction, since the search is handed the
     * training part and the validator alone, and this proves the construction holds.
     */
    @Test
    void theTestSplitIsReadOnceAfterTheSearchAndNeverDuringIt() throws IOException {
        Fold real = fold();
        List<String> events = new ArrayList<>();
        EpochValidator validator = model -> {
            events.add("validate");
            return real.validator().score(model);
        };
        Function<TrainedModel, RankingEvaluator.Outcome> test = model -> {
            events.add("test");
            return real.test().apply(model);
        };
        Fold spy = new Fold("", real.split(), test, validator);
        List<UserItemMatrix> seen = new ArrayList<>();
        List<Trial> heard = new ArrayList<>();
        Tuner tuner = new Tuner("ease", Map.of(), null, 1, SearchMethod.RANDOM, 6, Tuner.DEFAULT_ETA, 3);
        Tuning.Outcome outcome = Tuning.run(spy, tuner, runner(seen), heard::add);

        assertEquals(1, events.stream().filter("test"::equals).count(), events.toString());
        assertEquals("test", events.get(events.size() - 1), "the test comes after every validation: " + events);
        assertEquals(7, events.stream().filter("validate"::equals).count(), "six trials and the final fit, one validation each");
        seen.forEach(train -> assertSame(real.split().train(), train, "every run learns from the training part only"));
        assertEquals(6, heard.size());
        assertTrue(outcome.test().metrics().containsKey("ndcg@10"));
    }

    @Test
    void theChosenSettingIsTheArgmaxOfValidationAndTheSearchIsSeeded() throws IOException {
        Fold fold = fold();
        Tuner tuner = new Tuner("ease", Map.of(), null, 1, SearchMethod.RANDOM, 8, Tuner.DEFAULT_ETA, 11);
        Tuner.Search search = tuner.search(fold.split().train(), fold.validator(), runner(new ArrayList<>()), t -> {});
        double best = search.trials().stream().mapToDouble(Trial::validation).max().orElseThrow();
        assertEquals(best, search.chosen().validation());
        assertTrue(search.trials().stream().map(Trial::settings).distinct().count() > 1, "settings are drawn, not repeated");
        search.trials().forEach(t -> {
            double lambda = Double.parseDouble(t.settings().get("lambda"));
            assertTrue(lambda >= 10 && lambda <= 10000, "inside the declared search range: " + lambda);
        });
        Tuner.Search again = new Tuner("ease", Map.of(), null, 1, SearchMethod.RANDOM, 8, Tuner.DEFAULT_ETA, 11)
            .search(fold.split().train(), fold.validator(), runner(new ArrayList<>()), t -> {});
        assertEquals(search.trials(), again.trials(), "the same seed gives the same trials");
    }

    /**
     * A setting whose training diverges scores nothing and ranks last, and the search goes on (one diverging draw of a
     * wide range stopped the whole search, losing every trial before it); when every setting diverges, the search
     * says so instead of choosing one.
     */
    @Test
    void aDivergingSettingRanksLastAndTheSearchGoesOn() throws IOException {
        Fold fold = fold();
        TrialRunner real = runner(new ArrayList<>());
        int[] calls = { 0 };
        TrialRunner everyOther = (trainer, train, validator, label) -> {
            int call = calls[0]++;
            if (call % 4 == 0) {
                throw new TrainingDivergedException("ease", 3, Double.NaN, "lower -P lambda");
            }
            if (call % 4 == 2) {
                // a closed form whose system is not positive definite (EASE, ALS, BPMF) is a setting that does not
                // train too: it stopped the whole search before
                throw new SettingDoesNotTrainException("ease: the Gram matrix is not positive definite; raise -P lambda (now 10)");
            }
            return real.fit(trainer, train, validator, label);
        };
        Tuner tuner = new Tuner("ease", Map.of(), null, 1, SearchMethod.RANDOM, 6, Tuner.DEFAULT_ETA, 3);
        Tuner.Search search = tuner.search(fold.split().train(), fold.validator(), everyOther, t -> {});
        assertEquals(6, search.trials().size(), "every setting was tried");
        assertEquals(3, search.trials().stream().filter(t -> Double.isNaN(t.validation())).count());
        assertTrue(Double.isFinite(search.chosen().validation()), "a setting that trained is chosen");

        TrialRunner always = (trainer, train, validator, label) -> {
            throw new TrainingDivergedException("ease", 1, Double.POSITIVE_INFINITY, "lower -P lambda");
        };
        IllegalStateException none = assertThrows(IllegalStateException.class,
            () -> tuner.search(fold.split().train(), fold.validator(), always, t -> {}));
        assertTrue(none.getMessage().startsWith("no setting of the search for ease trained to a validation score"), none.getMessage());
    }

    /** Nine settings, η 3: 9 on a ninth of the epochs, the best 3 on a third, the best one on all; chosen among the full-budget runs. */
    @Test
    void successiveHalvingGivesTheBestThirdThreeTimesTheEpochs() throws IOException {
        Fold fold = fold();
        Tuner tuner = new Tuner("bpr", Map.of(), 8, 18, SearchMethod.HALVING, 9, 3, 4);
        Tuner.Search search = tuner.search(fold.split().train(), fold.validator(), runner(new ArrayList<>()), t -> {});
        assertEquals(List.of(9L, 3L, 1L), List.of(count(search, 0), count(search, 1), count(search, 2)));
        assertEquals(List.of(2, 6, 18), List.of(budget(search, 0), budget(search, 1), budget(search, 2)));
        List<Trial> first = search.trials().stream().filter(t -> t.rung() == 0).toList();
        List<Integer> promoted = search.trials().stream().filter(t -> t.rung() == 1).map(Trial::config).sorted().toList();
        List<Integer> bestThree = first.stream().sorted((a, b) -> Double.compare(b.validation(), a.validation())).limit(3).map(Trial::config).sorted()
            .toList();
        assertEquals(bestThree, promoted, "the best third of rung 1 by validation go on");
        assertEquals(2, search.chosen().rung());
        assertTrue(search.trials().stream().allMatch(t -> t.settings().containsKey("dims") == false), "--dims fixed: not searched");
        assertThrows(IllegalArgumentException.class, () -> new Tuner("ease", Map.of(), null, 1, SearchMethod.HALVING, 9, 3, 1));
    }

    @Test
    void fixedParametersAreNotSearched() {
        Tuner tuner = new Tuner("bpr", Map.of("learning_rate", "0.01"), null, 5, SearchMethod.RANDOM, 3, 3, 1);
        assertEquals(List.of("dims", "regularization", "init_std"), tuner.searched().stream().map(p -> p.name()).toList());
        Map<String, String> ordered = new java.util.LinkedHashMap<>();
        ordered.put("dims", "64");
        ordered.put("regularization", "0.1");
        ordered.put("a_late_one", "1");
        Trial trial = new Trial(1, 1, 0, ordered, 5, 0, List.of(0.0), 5, 5, 0);
        assertEquals(List.of("dims", "regularization", "a_late_one"), List.copyOf(trial.settings().keySet()), "settings keep their order");
        assertThrows(IllegalArgumentException.class, () -> new Tuner("popularity", Map.of(), null, 1, SearchMethod.RANDOM, 3, 3, 1),
            "nothing to search");
        assertEquals(3, Tuner.rungs(9, 3));
        assertEquals(3, Tuner.rungs(20, 3));
        assertEquals(1, Tuner.rungs(2, 3));
    }

    private static long count(Tuner.Search s, int rung) {
        return s.trials().stream().filter(t -> t.rung() == rung).count();
    }

    private static int budget(Tuner.Search s, int rung) {
        return s.trials().stream().filter(t -> t.rung() == rung).findFirst().orElseThrow().epochBudget();
    }
}
