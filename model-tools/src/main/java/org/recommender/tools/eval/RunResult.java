package org.recommender.tools.eval;

import java.util.List;
import java.util.Map;

/**
 * One model trained with one seed and evaluated once.
 *
 * @param model the algorithm's name, e.g. {@code bpr} or {@code popularity}
 * @param seed the training seed, or {@code null} for a model that uses none (popularity, EASE: trained once)
 * @param parameters the hyper-parameters
 * @param metrics metric name → value, e.g. {@code ndcg@10}, {@code recall@20}, {@code auc}, {@code rmse}
 * @param usersEvaluated how many users the metrics average over (ranking), or whose ratings were predicted (rating)
 * @param trainSeconds wall-clock training time
 * @param epochs epochs trained (0 for closed-form models)
 * @param bestEpoch the epoch kept by early stopping (0 when none)
 * @param loss training loss per epoch
 * @param validation validation score per epoch (empty without early stopping)
 * @param positiveScores distribution of the scores of held-out items
 * @param negativeScores distribution of the scores of items the user never interacted with
 */
public record RunResult(String model, Long seed, Map<String, Object> parameters, Map<String, Double> metrics, int usersEvaluated,
    double trainSeconds, int epochs,
    int bestEpoch, List<Double> loss, List<Double> validation, Histogram positiveScores, Histogram negativeScores) {}
