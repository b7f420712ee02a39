package org.recommender.tools.train;

import org.recommender.core.model.ModelBundle;

import java.util.function.IntFunction;

/**
 * What {@code train} writes for serving: one vector per user and per item (indexed into {@code embedding} fields)
 * and the model bundle (uploaded to the model store) whose score over them equals the trained model's.
 *
 * @param userDims dimension of user vectors
 * @param itemDims dimension of item vectors
 * @param similarity the {@code embedding} field similarity the vectors are meant for, e.g. {@code dot_product}
 * @param userVector vector of a user index
 * @param itemVector vector of an item index
 * @param bundle the serving model
 * @param encoder the user encoder that turns a history of these item vectors into a user vector the bundle scores
 *     (sequence models), or null
 */
public record ServingExport(int userDims, int itemDims, String similarity, IntFunction<float[]> userVector, IntFunction<float[]> itemVector,
    ModelBundle bundle, ModelBundle encoder) {
    /** An export without a user encoder: every model that is not a sequence model. */
    public ServingExport(int userDims, int itemDims, String similarity, IntFunction<float[]> userVector, IntFunction<float[]> itemVector,
        ModelBundle bundle) {
        this(userDims, itemDims, similarity, userVector, itemVector, bundle, null);
    }
}
