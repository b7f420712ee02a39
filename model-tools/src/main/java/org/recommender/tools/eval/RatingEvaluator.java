package org.recommender.tools.eval;

import org.recommender.core.metrics.RatingErrors;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.EpochValidator;
import org.recommender.tools.train.TrainedModel;

import java.util.LinkedHashMap;
import java.util.Map;

/** Rating prediction accuracy of a model on held-out ratings: RMSE and MAE. */
public final class RatingEvaluator {
    private final UserItemMatrix heldOut;

    /** @param heldOut the ratings to predict (values are the true ratings) */
    public RatingEvaluator(UserItemMatrix heldOut) {
        this.heldOut = heldOut;
    }

    /** @return {@code rmse} and {@code mae} of {@code model}'s predictions */
    public Map<String, Double> evaluate(TrainedModel model) {
        RatingErrors errors = new RatingErrors();
        for (int e = 0; e < heldOut.nonZeros(); e++) {
            errors.add(model.predict(heldOut.userOfEntry(e), heldOut.itemOfEntry(e)), heldOut.valueOfEntry(e));
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rmse", errors.rmse());
        m.put("mae", errors.mae());
        return m;
    }

    /**
     * @return a validator for selecting a rating model on the held-out ratings: it scores a model's −RMSE (higher is
     *     better, as {@link EpochValidator} wants) and its messages show the RMSE itself
     */
    public EpochValidator validator() {
        return new EpochValidator() {
            @Override
            public double score(TrainedModel model) {
                return -evaluate(model).get("rmse");
            }

            @Override
            public String metric() {
                return "rmse";
            }

            @Override
            public double shown(double score) {
                return -score;
            }
        };
    }
}
