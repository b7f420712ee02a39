package org.recommender.tools.train.neural;

import org.recommender.core.model.BiasSource;
import org.recommender.core.model.ModelBundle;
import org.recommender.tools.train.FactorModel;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;

/**
 * A trained Mult-DAE as the plugin serves it, two ways. Stored users: the decoder as a {@link FactorModel}, user
 * {@code [h_u, 1]} (the encoding of the user's training row) against item {@code [W_dec[:, i], b_i]}, a plain
 * {@code dot} model of H + 1 dimensions. Encoded users: the {@code multdae} encoder bundle turns any set of items into
 * {@code h = tanh(Σ e_i / sqrt(n) + b_enc)} from the encoder's own item vectors {@code e_i} (the history vectors, H
 * dimensions, indexed in a field of their own), and a {@code dot} model with {@code item_bias: last_dimension} scores
 * {@code h} against the same item vectors: {@code h · W_dec[:, i] + b_i}, the decoder's logit, as for a stored user.
 * The item vectors are one file for both. Scores here are the stored users'; immutable.
 */
public final class MultDaeModel implements TrainedModel {
    private final FactorModel decoder;
    private final float[][] history;
    private final float[] encoderBias;

    /**
     * @param decoder users {@code [h_u, 1]}, items {@code [W_dec[:, i], b_i]}; owned by this model
     * @param history the encoder's item vectors, one row of H per item index (row i = column i of the paper's
     *     {@code W_enc}); owned by this model
     * @param encoderBias the encoder's bias, H long
     * @throws IllegalArgumentException when the widths disagree
     */
    MultDaeModel(FactorModel decoder, float[][] history, float[] encoderBias) {
        if (history.length != decoder.items() || decoder.dims() != encoderBias.length + 1
            || (history.length > 0 && history[0].length != encoderBias.length)) {
            throw new IllegalArgumentException("a Mult-DAE of " + encoderBias.length + " hidden units needs " + decoder.items() + " history vectors of "
                + encoderBias.length + " and decoder vectors of " + (encoderBias.length + 1) + " dimensions");
        }
        this.decoder = decoder;
        this.history = history;
        this.encoderBias = encoderBias;
    }

    /** @return the bottleneck width H */
    public int hidden() {
        return encoderBias.length;
    }

    /**
     * @return the {@code max_length} of the exported encoder: every distinct item of the catalogue, since a history is
     *     a set of them, but never more than the format allows ({@link ModelBundle#MAX_SET_LENGTH}); a stored history
     *     that is longer is cut to its latest items by the plugin, an inline one refused
     */
    static int maxLength(int items) {
        return Math.min(items, ModelBundle.MAX_SET_LENGTH);
    }

    @Override
    public void scoreAll(int user, float[] out) {
        decoder.scoreAll(user, out);
    }

    @Override
    public float predict(int user, int item) {
        return decoder.predict(user, item);
    }

    @Override
    public String name() {
        return decoder.name();
    }

    /**
     * The stored users' {@code dot} export plus the {@code multdae} encoder ({@code encoder.bias}, {@code max_length}
     * per {@link #maxLength}), its history vectors and the {@code dot} model of its users: user_dims H, item_dims
     * H + 1, {@code item_bias: last_dimension}.
     */
    @Override
    public ServingExport export() {
        ServingExport stored = decoder.export();
        int h = hidden();
        String trainedBy = "model-tools " + name();
        ModelBundle encoder = ModelBundle.builder("multdae").itemDims(h).userDims(h).maxLength(maxLength(history.length))
            .weights("encoder.bias", encoderBias.clone()).metadata("trained_by", trainedBy).build();
        ModelBundle encoded = ModelBundle.builder("dot").userDims(h).itemDims(h + 1).itemBias(BiasSource.LAST_DIMENSION)
            .metadata("trained_by", trainedBy).build();
        return new ServingExport(stored.userDims(), stored.itemDims(), stored.similarity(), stored.userVector(), stored.itemVector(),
            stored.bundle(), encoder, encoded, new ServingExport.Vectors(h, i -> history[i]));
    }
}
