package org.recommender.tools.tune;

import org.recommender.tools.eval.Fold;
import org.recommender.tools.eval.RankingEvaluator;
import org.recommender.tools.train.Trainer;

import java.util.function.Consumer;

/**
 * {@code tune} from search to test: the search sees only the fold's training part and its validator; the chosen
 * setting is then trained once more with the full epoch budget and tested once — the one time the fold's test part
 * is read.
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
        Trainer chosen = tuner.trainer(search.chosen().settings(), tuner.maxEpochs());
        TrialRunner.Fitted fit = runner.fit(chosen, fold.split().train(), fold.validator(), chosen.name() + " chosen");
        return new Outcome(search, fit, fold.test().apply(fit.model()));
    }
}
