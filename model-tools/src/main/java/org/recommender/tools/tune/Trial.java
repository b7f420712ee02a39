package org.recommender.tools.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One setting trained once during a search, judged on the validation split only.
 *
 * @param number 1-based, in the order trials ran
 * @param config 1-based number of the drawn setting; under successive halving one setting runs in several rungs
 * @param rung 0-based rung of successive halving (always 0 for random search)
 * @param settings the searched hyper-parameters as typed ({@code -P name=value}; {@code dims} included when searched)
 * @param epochBudget the most epochs this trial could train
 * @param validation the kept model's validation NDCG@10 (the protocol's validation holdout)
 * @param epochs epochs trained (1 for closed-form models)
 * @param keptEpoch the epoch whose model early stopping kept, or 0 without early stopping
 * @param seconds wall-clock training time, validation passes included
 */
public record Trial(int number, int config, int rung, Map<String, String> settings, int epochBudget, double validation, int epochs, int keptEpoch,
    double seconds) {
    /** Copies the settings, keeping their declaration order (Map.copyOf's order changes from run to run). */
    public Trial {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
