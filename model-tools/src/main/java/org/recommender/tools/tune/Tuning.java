package org.recommender.tools.tune;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.eval.Fold;
import org.recommender.tools.eval.KFoldSplit;
import org.recommender.tools.eval.RankingEvaluator;
import org.recommender.tools.eval.Split;
import org.recommender.tools.train.EpochValidator;
import org.recommender.tools.train.Trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code tune} from search to test: the search sees only the fold's training part and its validator; the chosen
 * setting is then trained once more with the full epoch budget and tested once — the one time the fold's test part
 * is read. Under k-fold ({@link #nested}) this happens once per outer fold, the search judging settings on inner
 * folds cut from that fold's training part.
 */
public final class Tuning {
    /**
     * What a tuning run found.
     *
     * @param search every trial and the chosen one
     * @param fit the chosen setting's final training run
     * @param test the final model on the test part
     */
    public record Outcome(Tuner.Search search, TrialRunner.Fitted fit, RankingEvaluator.Outcome test) {}

    /** Hears what nested tuning does, outer fold by outer fold. */
    public interface NestedProgress {
        /** The search of {@code outer} starts, on {@code inner}. */
        default void searching(Fold outer, List<Tuner.Holdout> inner) {}

        /** A trial of {@code outer}'s search finished. */
        default void trial(Fold outer, Trial trial) {}

        /** {@code outer}'s chosen setting was retrained on its whole training part and tested once. */
        default void tested(Fold outer, Outcome outcome) {}
    }

    /**
     * The one setting nested tuning writes to {@code chosen.json}, where each outer fold chose its own: every outer
     * fold's search draws the same settings (the draws depend on the seed alone), so settings compare across folds by
     * their number.
     *
     * @param config 1-based number of the drawn setting
     * @param settings its searched settings
     * @param chosenOn how many outer folds chose it
     * @param folds how many outer folds there were
     * @param validation its mean validation score over the outer folds in which it trained with the full budget (all
     *     of them under random search), each fold's score being the mean over that fold's inner folds
     */
    public record Consensus(int config, Map<String, String> settings, int chosenOn, int folds, double validation) {}

    private Tuning() {}

    /**
     * @param fold a protocol's fold with a validator
     * @param tuner the search
     * @param runner trains each trial and the final fit
     * @param progress hears about each trial as it finishes
     * @throws IllegalArgumentException when the fold has no validation split to select on
     */
    public static Outcome run(Fold fold, Tuner tuner, TrialRunner runner, Consumer<Trial> progress) {
        if (fold.validator() == null) {
            throw new IllegalArgumentException("tune selects on a validation split, and this protocol's fold has none");
        }
        // by construction the search gets the training part and the validator, never fold.test()
        Tuner.Search search = tuner.search(fold.split().train(), fold.validator(), runner, progress);
        return finish(search, fold, tuner, runner);
    }

    /**
     * Nested k-fold tuning, as {@code GridSearchCV} inside {@code cross_validate}: for each outer fold the search sees
     * only the fold's training part, cut into {@code innerFolds} inner folds ({@link KFoldSplit} over its ratings,
     * seeded with {@code innerSeed} plus the outer fold's 1-based number); a setting's score is its mean over the inner
     * folds; the best is retrained on the whole outer training part and tested once on the outer test fold.
     *
     * @param outer the protocol's folds (e.g. rating-kfold's); their test parts are read once each, after their search
     * @param innerFolds inner k, at least 2
     * @param innerSeed seeds the inner folds' shuffle
     * @param validation makes the judge of an inner fold from its held-out part (e.g. −RMSE on those ratings)
     * @param tuner the search, run once per outer fold
     * @param runner trains each trial on each inner fold, and each final fit
     * @param progress hears each search's start, each trial and each outer fold's test
     * @return one outcome per outer fold, in order
     */
    public static List<Outcome> nested(List<Fold> outer, int innerFolds, long innerSeed, Function<UserItemMatrix, EpochValidator> validation, Tuner tuner,
        TrialRunner runner, NestedProgress progress) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int f = 0; f < outer.size(); f++) {
            Fold fold = outer.get(f);
            UserItemMatrix train = fold.split().train();
            KFoldSplit inner = new KFoldSplit(innerFolds, innerSeed + f + 1);
            List<Tuner.Holdout> holdouts = new ArrayList<>();
            for (int i = 0; i < innerFolds; i++) {
                Split split = inner.apply(train, i);
                String label = (fold.label().isEmpty() ? "" : fold.label() + " ") + "inner " + (i + 1) + "/" + innerFolds;
                holdouts.add(new Tuner.Holdout(label, split.train(), validation.apply(split.test())));
            }
            progress.searching(fold, holdouts);
            // by construction the search gets the inner folds of the outer training part, never fold.test()
            Tuner.Search search = tuner.search(holdouts, runner, trial -> progress.trial(fold, trial));
            Outcome outcome = finish(search, fold, tuner, runner);
            progress.tested(fold, outcome);
            outcomes.add(outcome);
        }
        return List.copyOf(outcomes);
    }

    /**
     * @return the setting chosen on the most outer folds; of equally frequent ones, the best by mean validation over
     *     the outer folds (then the earliest drawn)
     */
    public static Consensus consensus(List<Outcome> outcomes) {
        Map<Integer, Integer> votes = new LinkedHashMap<>();
        Map<Integer, List<Double>> scores = new LinkedHashMap<>();
        Map<Integer, Map<String, String>> settings = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            votes.merge(o.search().chosen().config(), 1, Integer::sum);
            int lastRung = o.search().chosen().rung();
            for (Trial t : o.search().trials()) {
                if (t.rung() == lastRung) {
                    scores.computeIfAbsent(t.config(), c -> new ArrayList<>()).add(t.validation());
                    settings.putIfAbsent(t.config(), t.settings());
                }
            }
        }
        Consensus best = null;
        for (Map.Entry<Integer, Integer> vote : new java.util.TreeMap<>(votes).entrySet()) {
            double mean = scores.get(vote.getKey()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            Consensus c = new Consensus(vote.getKey(), settings.get(vote.getKey()), vote.getValue(), outcomes.size(), mean);
            if (best == null || c.chosenOn() > best.chosenOn()
                || (c.chosenOn() == best.chosenOn() && Tuner.comparable(c.validation()) > Tuner.comparable(best.validation()))) {
                best = c;
            }
        }
        return best;
    }

    /** Retrains the search's choice on the fold's whole training part (its validator, if any, stopping early) and tests it once. */
    private static Outcome finish(Tuner.Search search, Fold fold, Tuner tuner, TrialRunner runner) {
        Trainer chosen = tuner.trainer(search.chosen().settings(), tuner.maxEpochs());
        TrialRunner.Fitted fit = runner.fit(chosen, fold.split().train(), fold.validator(),
            chosen.name() + " chosen" + (fold.label().isEmpty() ? "" : " " + fold.label()));
        return new Outcome(search, fit, fold.test().apply(fit.model()));
    }
}
