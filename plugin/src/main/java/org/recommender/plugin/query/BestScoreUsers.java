package org.recommender.plugin.query;

import org.recommender.core.model.ScoringModel;
import org.recommender.core.vector.BestScore;
import org.recommender.core.vector.VectorSimilarity;

/**
 * The rules every surface applies to a {@code best_score} example user ({@link BestScore}), said once: which models
 * can score one, and the checks a 400 names.
 *
 * <p>With a stored model, an item's similarity to an example is the model's score with the example's vector as the
 * user: meaningful for the similarity models ({@code dot}, {@code cosine}), whose user and item live in one space,
 * and not for a neural model ({@code mlp}, {@code neumf}), which scores one learned user vector — that is refused.
 * A model's output is any real number (biases included), so its scores go through the {@code dot_product}
 * transform, which orders every real.
 */
public final class BestScoreUsers {
    private BestScoreUsers() {}

    /**
     * @throws IllegalArgumentException (a 400 naming the model field) unless {@code model} is a {@code dot} or
     *     {@code cosine} model whose users have the examples' dimension
     */
    public static void checkModel(ScoringModel model, String modelField, String modelId, int exampleDims) {
        if (model.type().equals("dot") == false && model.type().equals("cosine") == false) {
            throw new IllegalArgumentException(
                "[user.strategy] [best_score] compares items with each example by a similarity, but " + modelField + " [" + modelId + "] is a ["
                    + model.type() + "] model, which scores one user vector: use [user.strategy] [average], or a [dot] or [cosine] model"
            );
        }
        if (model.userDims() != exampleDims) {
            throw new IllegalArgumentException(
                "[user.strategy] [best_score] scores items with " + modelField + " [" + modelId + "] taking each example as its user, but its users have "
                    + model.userDims() + " dimensions and the examples " + exampleDims
            );
        }
    }

    /**
     * @return a scorer of items against {@code examples} by {@code model}'s score with each example as the user
     *     (one batched model call per example and block), through the {@code dot_product} transform
     */
    public static BestScore.Scorer modelScorer(BestScore examples, ScoringModel model) {
        return examples.scorer(VectorSimilarity.DOT_PRODUCT, example -> new VectorSimilarity.Prepared() {
            @Override
            public float raw(float[] item) {
                return model.score(example, item);
            }

            @Override
            public void raw(float[][] items, int count, float[] out) {
                model.score(example, items, count, out);
            }
        });
    }

    /** @throws IllegalArgumentException (a 400) when the examples' dimension is not the items' field's */
    public static void checkDims(BestScore examples, int fieldDims, String field) {
        if (examples.dims() != fieldDims) {
            throw new IllegalArgumentException(
                "[user] example vectors have " + examples.dims() + " dimensions but field [" + field + "] has " + fieldDims
            );
        }
    }

    /** @return how explanations name what scored an item for a best-score user, {@code by} naming the similarity */
    public static String describe(BestScore examples, String by) {
        return "best_score against " + examples.positive().length + " positive and " + examples.negative().length + " negative examples by " + by;
    }
}
