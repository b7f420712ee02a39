package org.recommender.tools.train;

import org.recommender.core.model.ModelBundle;

import java.util.function.IntFunction;

/**
 * What {@code train} writes for serving: one vector per user and per item (indexed into {@code embedding} fields)
 * and the model bundle (uploaded to the model store) whose score over them equals the trained model's; for a model
 * with a user encoder, also the encoder, the history vectors it reads when they are not the item vectors, and the
 * bundle that scores the users it makes when {@code bundle} cannot.
 *
 * @param userDims dimension of user vectors
 * @param itemDims dimension of item vectors
 * @param similarity the {@code embedding} field similarity the vectors are meant for, e.g. {@code dot_product}
 * @param userVector vector of a user index
 * @param itemVector vector of an item index
 * @param bundle the serving model of the stored users
 * @param encoder the user encoder that turns a history into a user vector, or null
 * @param encodedBundle the model that scores the encoder's users against the item vectors, or null when
 *     {@code bundle} does (sequence models, whose stored users are encodings too)
 * @param history the vectors the encoder reads for a history item, one per item index, or null when it reads the item
 *     vectors (sequence models, whose item table is both)
 */
public record ServingExport(int userDims, int itemDims, String similarity, IntFunction<float[]> userVector, IntFunction<float[]> itemVector,
    ModelBundle bundle, ModelBundle encoder, ModelBundle encodedBundle, Vectors history) {
    /**
     * One vector per item index.
     *
     * @param dims their dimension
     * @param vector the vector of an item index
     */
    public record Vectors(int dims, IntFunction<float[]> vector) {}

    /**
     * Checks that the encoder fits what it reads and what scores its users.
     *
     * @throws IllegalArgumentException naming the dimensions that disagree, or an encoder part without an encoder
     */
    public ServingExport {
        if (encoder == null && (encodedBundle != null || history != null)) {
            throw new IllegalArgumentException("an encoded-user bundle or history vectors need an encoder");
        }
        if (encoder != null) {
            int reads = history == null ? itemDims : history.dims();
            ModelBundle scoring = encodedBundle == null ? bundle : encodedBundle;
            if (encoder.itemDims() != reads || encoder.userDims() != scoring.userDims() || scoring.itemDims() != itemDims) {
                throw new IllegalArgumentException("the encoder reads vectors of " + encoder.itemDims() + " dimensions and makes users of "
                    + encoder.userDims() + ", but its history vectors have " + reads + " and the " + scoring.type() + " model scoring them takes users of "
                    + scoring.userDims() + " against items of " + scoring.itemDims() + " (the item vectors have " + itemDims + ")");
            }
        }
    }

    /** An export without a user encoder: every model that is not a sequence model or Mult-DAE. */
    public ServingExport(int userDims, int itemDims, String similarity, IntFunction<float[]> userVector, IntFunction<float[]> itemVector,
        ModelBundle bundle) {
        this(userDims, itemDims, similarity, userVector, itemVector, bundle, null, null, null);
    }

    /** An export whose encoder reads the item vectors and whose {@code bundle} scores its users: the sequence models. */
    public ServingExport(int userDims, int itemDims, String similarity, IntFunction<float[]> userVector, IntFunction<float[]> itemVector,
        ModelBundle bundle, ModelBundle encoder) {
        this(userDims, itemDims, similarity, userVector, itemVector, bundle, encoder, null, null);
    }
}
