package org.recommender.core.model;

import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.InputPart;
import org.recommender.core.vector.EmbeddingValidator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A bundle header after parsing: what the model is and the shapes of its weights. The constructor enforces every
 * rule of {@code docs/model-format.md} that the header alone decides (dimension limits, the shape chain, the
 * fields each type needs), and {@link #blocks()} derives the weight blocks the bundle must then contain. Fields a
 * type does not use hold neutral values ({@code 0}, empty lists, {@link BiasSource#NONE}, {@code null}).
 *
 * @param type the model type
 * @param userDims dimension of user vectors
 * @param itemDims dimension of item vectors
 * @param globalBias {@code dot}/{@code cosine}: added to every score
 * @param userBias {@code dot}/{@code cosine}: where the user bias is
 * @param itemBias {@code dot}/{@code cosine}: where the item bias is
 * @param input {@code mlp}: the parts concatenated into the first layer's input, in order
 * @param gmfDims {@code neumf}: the length g of the GMF slice (the first g dimensions of both vectors)
 * @param layers {@code mlp}/{@code neumf}: the hidden layers (for {@code neumf}, the MLP tower)
 * @param outputActivation {@code mlp}/{@code neumf}: applied to the one-unit output layer
 * @param encoder user encoders: their own fields; {@code null} for scoring models
 * @param metadata free-form header metadata
 */
record ModelHeader(
    ModelType type,
    int userDims,
    int itemDims,
    double globalBias,
    BiasSource userBias,
    BiasSource itemBias,
    List<InputPart> input,
    int gmfDims,
    List<LayerSpec> layers,
    Activation outputActivation,
    EncoderSpec encoder,
    Map<String, Object> metadata
) {
    /** Every type name, for messages. */
    static final List<String> TYPE_NAMES = Arrays.stream(ModelType.values()).map(ModelType::externalName).toList();
    /** The largest user or item dimension (that of an embedding). */
    static final int MAX_DIMS = EmbeddingValidator.MAX_DIMENSIONS;
    /** The most hidden layers a model may have. */
    static final int MAX_LAYERS = 32;
    /** The widest a layer's input or output may be: [u, v, u⊙v] at the largest dimension fits. */
    static final int MAX_LAYER_WIDTH = 16_384;

    ModelHeader {
        if (type == null) {
            throw new InvalidModelException("type: required; one of " + TYPE_NAMES);
        }
        checkRange("user_dims", userDims, 1, MAX_DIMS);
        checkRange("item_dims", itemDims, 1, MAX_DIMS);
        metadata = metadata == null ? Map.of() : metadata;
        userBias = userBias == null ? BiasSource.NONE : userBias;
        itemBias = itemBias == null ? BiasSource.NONE : itemBias;
        input = input == null ? List.of() : List.copyOf(input);
        layers = layers == null ? List.of() : List.copyOf(layers);
        if (type.isNeural()) {
            outputActivation = outputActivation == null ? Activation.IDENTITY : outputActivation;
            if (layers.size() > MAX_LAYERS) {
                throw new InvalidModelException("layers: " + layers.size() + " layers exceed the limit of " + MAX_LAYERS);
            }
        }
        if (type.isEncoder() != (encoder != null)) {
            throw new IllegalArgumentException("encoder fields belong to encoder types only, and every encoder needs them");
        }
        switch (type) {
            case DOT, COSINE -> checkSimilarity(userDims, itemDims, userBias, itemBias, globalBias);
            case MLP -> checkMlpInput(input, userDims, itemDims);
            case NEUMF -> checkGmf(gmfDims, userDims, itemDims, layers);
            case SASREC, GRU4REC, MULTDAE -> encoder.check(type, userDims, itemDims);
        }
        if (type.isNeural()) {
            checkChain(layers, inputWidth(type, input, userDims, itemDims, gmfDims), inputDescription(type, input, userDims, itemDims, gmfDims));
        }
    }

    /** @return the dimensions the similarity of a {@code dot}/{@code cosine} model runs over */
    int similarityDims() {
        return userDims - userBias.dimensions();
    }

    /** @return the width of the first layer's input */
    int inputWidth() {
        return inputWidth(type, input, userDims, itemDims, gmfDims);
    }

    /** @return the width of the one-unit output layer's input */
    int outputInputs() {
        int last = layers.isEmpty() ? inputWidth() : layers.get(layers.size() - 1).outputs();
        return type == ModelType.NEUMF ? gmfDims + last : last;
    }

    /** @return the weight blocks the bundle must contain, in order (none for {@code dot}/{@code cosine}) */
    List<BlockSpec> blocks() {
        if (type.isEncoder()) {
            return encoder.blocks(type, userDims, itemDims);
        }
        if (type.isNeural() == false) {
            return List.of();
        }
        List<BlockSpec> blocks = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            blocks.add(BlockSpec.matrix("layers[" + i + "].weights", layer.outputs(), layer.inputs()));
            blocks.add(BlockSpec.vector("layers[" + i + "].bias", layer.outputs()));
        }
        blocks.add(BlockSpec.vector("output.weights", outputInputs()));
        blocks.add(BlockSpec.vector("output.bias", 1));
        return blocks;
    }

    private static void checkSimilarity(int userDims, int itemDims, BiasSource userBias, BiasSource itemBias, double globalBias) {
        // bounded like every score (FiniteScores.MAX): a similarity of bounded embeddings (at most ~4.1e35) plus it
        // stays finite, where a bias near float's largest value (3.4e38) took scores to infinity
        if ((Math.abs(globalBias) <= FiniteScores.MAX) == false) {
            throw new InvalidModelException(
                "global_bias: must be a finite number of magnitude at most " + FiniteScores.MAX + ", so that scores stay finite, but was " + globalBias
            );
        }
        int userCore = userDims - userBias.dimensions();
        int itemCore = itemDims - itemBias.dimensions();
        if (userCore < 1 || itemCore < 1) {
            throw new InvalidModelException(
                (userCore < 1 ? "user_dims" : "item_dims") + ": a vector of one dimension has no room left for the similarity once its last dimension is the bias"
            );
        }
        if (userCore != itemCore) {
            throw new InvalidModelException(
                "item_dims: the similarity needs equal user and item dimensions (bias dimensions excluded) but they are "
                    + userCore + " (user_dims " + userDims + ", user_bias " + userBias.externalName() + ") and " + itemCore
                    + " (item_dims " + itemDims + ", item_bias " + itemBias.externalName() + ")"
            );
        }
    }

    private static void checkMlpInput(List<InputPart> input, int userDims, int itemDims) {
        if (input.isEmpty()) {
            throw new InvalidModelException("input: required; a non-empty list of [user, item, product]");
        }
        if (new HashSet<>(input).size() != input.size()) {
            throw new InvalidModelException("input: " + names(input) + " names a part twice");
        }
        if (input.contains(InputPart.PRODUCT) && userDims != itemDims) {
            throw new InvalidModelException(
                "input: [product] needs equal user_dims and item_dims but they are " + userDims + " and " + itemDims
            );
        }
    }

    private static void checkGmf(int gmfDims, int userDims, int itemDims, List<LayerSpec> layers) {
        int max = Math.min(userDims, itemDims) - 1;
        if (gmfDims < 1 || gmfDims > max) {
            throw new InvalidModelException(
                "gmf_dims: must be between 1 and " + max + " (both vectors need at least one dimension left for the MLP slice) but was " + gmfDims
            );
        }
        if (layers.isEmpty()) {
            throw new InvalidModelException("layers: a neumf model needs at least one MLP tower layer");
        }
    }

    private static void checkChain(List<LayerSpec> layers, int inputWidth, String inputDescription) {
        int width = inputWidth;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            String path = "layers[" + i + "]";
            if (layer.activation() == null) {
                throw new InvalidModelException(path + ".activation: required; one of " + Activation.names());
            }
            checkRange(path + ".inputs", layer.inputs(), 1, MAX_LAYER_WIDTH);
            checkRange(path + ".outputs", layer.outputs(), 1, MAX_LAYER_WIDTH);
            if (layer.inputs() != width) {
                String expected = i == 0 ? inputDescription : "the outputs of layers[" + (i - 1) + "]";
                throw new InvalidModelException(path + ".inputs: expected " + width + " (" + expected + ") but was " + layer.inputs());
            }
            width = layer.outputs();
        }
    }

    private static int inputWidth(ModelType type, List<InputPart> input, int userDims, int itemDims, int gmfDims) {
        if (type == ModelType.NEUMF) {
            return (userDims - gmfDims) + (itemDims - gmfDims);
        }
        int width = 0;
        for (InputPart part : input) {
            width += part == InputPart.ITEM ? itemDims : userDims;
        }
        return width;
    }

    private static String inputDescription(ModelType type, List<InputPart> input, int userDims, int itemDims, int gmfDims) {
        if (type == ModelType.NEUMF) {
            return "the MLP slices of the user and item vectors: " + (userDims - gmfDims) + " + " + (itemDims - gmfDims);
        }
        return "input " + names(input) + " = "
            + input.stream().map(p -> Integer.toString(p == InputPart.ITEM ? itemDims : userDims)).collect(Collectors.joining(" + "));
    }

    private static String names(List<InputPart> input) {
        return input.stream().map(InputPart::externalName).toList().toString();
    }

    static void checkRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidModelException(field + ": must be between " + min + " and " + max + " but was " + value);
        }
    }
}
