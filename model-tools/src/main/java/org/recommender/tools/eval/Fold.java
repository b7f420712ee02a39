package org.recommender.tools.eval;

import org.recommender.tools.train.EpochValidator;
import org.recommender.tools.train.TrainedModel;

import java.util.function.Function;

/**
 * One train/test division of a protocol, ready to run: the split, how to score a trained model on its test part,
 * and how to score it on its validation part for early stopping (null when there is none).
 *
 * @param label e.g. {@code fold 2/5}, or empty for single-split protocols
 * @param split the data
 * @param test evaluates a trained model on the test part
 * @param validator scores a model on the validation part after each epoch, or null
 */
public record Fold(String label, Split split, Function<TrainedModel, RankingEvaluator.Outcome> test, EpochValidator validator) {}
