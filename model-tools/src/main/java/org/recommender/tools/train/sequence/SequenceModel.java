package org.recommender.tools.train.sequence;

import org.recommender.core.encoder.UserEncoder;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.vector.VectorMath;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.tools.data.UserSequences;
import org.recommender.tools.train.HistoryModel;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;

import java.util.Map;

/**
 * A trained sequence encoder as the plugin serves it: the item table (indexed as the items' vectors) and the encoder
 * bundle, compiled by the core into the {@link UserEncoder} the plugin runs. Every score goes through that compiled
 * encoder — a user's vector is {@code encode(the newest max_length history items' vectors)} and an item's score its
 * dot product with the item's vector — so what is evaluated is what is served. A user without history scores every
 * item 0. Immutable; users are encoded on demand, on the caller's thread (the evaluator scores users in parallel).
 */
public final class SequenceModel implements HistoryModel {
    private final String name;
    private final EncoderWeights weights;
    private final ModelBundle encoderBundle;
    private final UserEncoder encoder;
    private final UserSequences histories;

    /**
     * @param name the algorithm
     * @param weights the trained encoder (a copy the model owns)
     * @param histories each user's history, oldest first
     * @param metadata recorded in the encoder bundle (hyper-parameters, epochs)
     */
    public SequenceModel(String name, EncoderWeights weights, UserSequences histories, Map<String, ?> metadata) {
        this(name, weights, bundle(weights, metadata), histories);
    }

    private SequenceModel(String name, EncoderWeights weights, ModelBundle encoderBundle, UserSequences histories) {
        this.name = name;
        this.weights = weights;
        this.encoderBundle = encoderBundle;
        this.encoder = encoderBundle.compileEncoder();
        this.histories = histories;
    }

    /** @return the encoder bundle of {@code weights}: its type's header fields and blocks, in bundle order */
    static ModelBundle bundle(EncoderWeights weights, Map<String, ?> metadata) {
        var b = ModelBundle.builder(weights.type())
            .itemDims(weights.intField("item_dims"))
            .userDims(weights.intField("user_dims"))
            .maxLength(weights.intField("max_length"));
        switch (weights.type()) {
            case "sasrec" -> b.heads(weights.intField("heads")).numBlocks(weights.intField("num_blocks")).ffnDims(weights.intField("ffn_dims"))
                .inputScale(weights.doubleField("input_scale")).layerNormEpsilon(weights.doubleField("layer_norm_epsilon"));
            case "gru4rec" -> b.hiddenDims(weights.intField("hidden_dims"));
            default -> throw new IllegalArgumentException("not a sequence encoder type: " + weights.type());
        }
        weights.blocks().forEach(b::weights);
        return b.metadata(metadata).build();
    }

    @Override
    public TrainedModel given(UserSequences other) {
        return new SequenceModel(name, weights, encoderBundle, other);
    }

    /** @return the encoder bundle */
    public ModelBundle encoderBundle() {
        return encoderBundle;
    }

    /** @return the user's vector through the compiled encoder, or null without history */
    public float[] userVector(int user) {
        int[] items = histories.latest(user, encoder.maxLength());
        if (items.length == 0) {
            return null;
        }
        float[][] rows = new float[items.length][];
        for (int k = 0; k < items.length; k++) {
            rows[k] = weights.items()[items[k]];
        }
        return encoder.encode(rows, items.length);
    }

    @Override
    public void scoreAll(int user, float[] out) {
        float[] u = userVector(user);
        float[][] items = weights.items();
        for (int i = 0; i < items.length; i++) {
            out[i] = u == null ? 0f : VectorMath.dot(u, items[i]);
        }
    }

    @Override
    public float predict(int user, int item) {
        float[] u = userVector(user);
        return u == null ? 0f : VectorMath.dot(u, weights.items()[item]);
    }

    @Override
    public String name() {
        return name;
    }

    /** The items' vectors with a {@code dot} model over them, users encoded from their training history, and the encoder bundle. */
    @Override
    public ServingExport export() {
        int dims = weights.intField("user_dims");
        ModelBundle dot = ModelBundle.builder("dot").dims(dims).metadata("trained_by", "model-tools " + name).build();
        return new ServingExport(dims, weights.intField("item_dims"), VectorSimilarity.DOT_PRODUCT.externalName(), u -> {
            float[] v = userVector(u);
            return v == null ? new float[dims] : v;
        }, i -> weights.items()[i].clone(), dot, encoderBundle);
    }
}
