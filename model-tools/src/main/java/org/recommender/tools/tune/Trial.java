package org.recommender.tools.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One setting trained during a search, judged on validation data only: the protocol's validation split, or under
 * nested k-fold each inner fold of the outer fold's training part in turn.
 *
 * @param number 1-based, in the order trials ran
 * @param config 1-based number of the drawn setting; under successive halving one setting runs in several rungs
 * @param rung 0-based rung of successive halving (always 0 for random search)
 * @param settings the searched hyper-parameters as typed ({@code -P name=value}; {@code dims} and {@code epochs}
 *     included when searched)
 * @param epochBudget the most epochs this trial could train
 * @param validation what the search compares, higher is better: the mean of {@code holdouts} (NDCG@10, or −RMSE
 *     for rating prediction)
 * @param holdouts the kept model's score on each validation holdout, in order (one for a validation split)
 * @param epochs the most epochs any holdout's run trained (1 for closed-form models)
 * @param keptEpoch the latest epoch early stopping kept over the holdouts' runs, or 0 without early stopping
 * @param seconds wall-clock training time over all holdouts, validation passes included
 */
public record Trial(int number, int config, int rung, Map<String, String> settings, int epochBudget, double validation, List<Double> holdouts,
    int epochs, int keptEpoch, double seconds) {
    /** Copies the settings, keeping their declaration order (Map.copyOf's order changes from run to run). */
    public Trial {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        holdouts = List.copyOf(holdouts);
    }
}
