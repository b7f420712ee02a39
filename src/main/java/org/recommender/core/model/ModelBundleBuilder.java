package org.recommender.core.model;

import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.InputPart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles a bundle from a model's shapes and weights, for model-tools (export), tests and benchmarks. Obtained
 * from {@link ModelBundle#builder}. {@link #build()} encodes the bundle and then parses it, so a built bundle has
 * passed exactly the validation an uploaded one does, and the same messages report mistakes. Weight arrays are
 * read at {@code build()} time, row-major with one row per output ({@code outputs × inputs}).
 */
public final class ModelBundleBuilder {
    private final ModelType type;
    private int userDims;
    private int itemDims;
    private double globalBias;
    private BiasSource userBias = BiasSource.NONE;
    private BiasSource itemBias = BiasSource.NONE;
    private List<InputPart> input = List.of(InputPart.USER, InputPart.ITEM, InputPart.PRODUCT);
    private int gmfDims;
    private final List<LayerSpec> layers = new ArrayList<>();
    private final List<float[]> layerBlocks = new ArrayList<>();
    private float[] outputWeights;
    private float outputBias;
    private Activation outputActivation = Activation.IDENTITY;
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private int maxLength;
    private int heads;
    private int numBlocks;
    private int ffnDims;
    private double inputScale = 1;
    private double layerNormEpsilon = EncoderSpec.DEFAULT_LAYER_NORM_EPSILON;
    private int hiddenDims;
    private final Map<String, float[]> namedBlocks = new LinkedHashMap<>();

    ModelBundleBuilder(ModelType type) {
        this.type = type;
    }

    /** Sets the user vector dimension. */
    public ModelBundleBuilder userDims(int dims) {
        this.userDims = dims;
        return this;
    }

    /** Sets the item vector dimension. */
    public ModelBundleBuilder itemDims(int dims) {
        this.itemDims = dims;
        return this;
    }

    /** Sets both the user and the item vector dimension. */
    public ModelBundleBuilder dims(int dims) {
        return userDims(dims).itemDims(dims);
    }

    /** {@code dot}/{@code cosine}: a number added to every score (default 0). */
    public ModelBundleBuilder globalBias(double bias) {
        this.globalBias = bias;
        return this;
    }

    /** {@code dot}/{@code cosine}: where the per-user bias is (default none). */
    public ModelBundleBuilder userBias(BiasSource source) {
        this.userBias = source;
        return this;
    }

    /** {@code dot}/{@code cosine}: where the per-item bias is (default none). */
    public ModelBundleBuilder itemBias(BiasSource source) {
        this.itemBias = source;
        return this;
    }

    /** {@code mlp}: the parts concatenated into the first layer's input, in order (default user, item, product). */
    public ModelBundleBuilder input(InputPart... parts) {
        this.input = List.of(parts);
        return this;
    }

    /** {@code neumf}: the length of the GMF slice. */
    public ModelBundleBuilder gmfDims(int dims) {
        this.gmfDims = dims;
        return this;
    }

    /**
     * {@code mlp}/{@code neumf}: appends a hidden layer (for {@code neumf}, a tower layer).
     *
     * @param weights {@code outputs × inputs} floats, row-major
     * @param bias {@code outputs} floats
     */
    public ModelBundleBuilder layer(int inputs, int outputs, Activation activation, float[] weights, float[] bias) {
        layers.add(new LayerSpec(inputs, outputs, activation));
        layerBlocks.add(weights.clone());
        layerBlocks.add(bias.clone());
        return this;
    }

    /**
     * {@code mlp}/{@code neumf}: sets the one-unit output layer.
     *
     * @param weights one per input of the output layer: the last hidden layer's outputs (or, for an {@code mlp}
     *     without hidden layers, the input width); for {@code neumf}, {@code gmf_dims} GMF weights first, then the
     *     tower's
     * @param bias the output bias
     */
    public ModelBundleBuilder output(float[] weights, float bias) {
        this.outputWeights = weights.clone();
        this.outputBias = bias;
        return this;
    }

    /** {@code mlp}/{@code neumf}: the activation of the output (default identity: the raw score). */
    public ModelBundleBuilder outputActivation(Activation activation) {
        this.outputActivation = activation;
        return this;
    }

    /** Encoders: the most history items one encoding reads. */
    public ModelBundleBuilder maxLength(int length) {
        this.maxLength = length;
        return this;
    }

    /** {@code sasrec}: attention heads (dividing the dimension). */
    public ModelBundleBuilder heads(int heads) {
        this.heads = heads;
        return this;
    }

    /** {@code sasrec}: self-attention blocks. */
    public ModelBundleBuilder numBlocks(int blocks) {
        this.numBlocks = blocks;
        return this;
    }

    /** {@code sasrec}: the feed-forward layers' inner width. */
    public ModelBundleBuilder ffnDims(int dims) {
        this.ffnDims = dims;
        return this;
    }

    /** {@code sasrec}: multiplies each history vector before its position row is added (default 1). */
    public ModelBundleBuilder inputScale(double scale) {
        this.inputScale = scale;
        return this;
    }

    /** {@code sasrec}: the layer norms' epsilon (default 1e-8). */
    public ModelBundleBuilder layerNormEpsilon(double epsilon) {
        this.layerNormEpsilon = epsilon;
        return this;
    }

    /** {@code gru4rec}: the GRU's hidden width. */
    public ModelBundleBuilder hiddenDims(int dims) {
        this.hiddenDims = dims;
        return this;
    }

    /**
     * Encoders: sets one weight block by its name in {@code docs/model-format.md} (e.g. {@code positions},
     * {@code blocks[1].ffn.in_weights}, {@code gru.hidden_weights}); matrices row-major, one row per output. The
     * header decides the order blocks are written in.
     */
    public ModelBundleBuilder weights(String block, float[] values) {
        namedBlocks.put(block, values.clone());
        return this;
    }

    /** Adds a free-form metadata entry (strings, numbers, booleans, lists and maps of them). */
    public ModelBundleBuilder metadata(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds free-form metadata entries. */
    public ModelBundleBuilder metadata(Map<String, ?> entries) {
        metadata.putAll(entries);
        return this;
    }

    /**
     * @return the encoded and re-parsed bundle
     * @throws InvalidModelException naming the field or block that is wrong, as {@link ModelBundle#parse} would
     */
    public ModelBundle build() {
        ModelHeader header = new ModelHeader(
            type,
            userDims,
            itemDims,
            globalBias,
            userBias,
            itemBias,
            type == ModelType.MLP ? input : List.of(),
            type == ModelType.NEUMF ? gmfDims : 0,
            type.isNeural() ? layers : List.of(),
            type.isNeural() ? outputActivation : null,
            type.isEncoder() ? new EncoderSpec(maxLength, heads, numBlocks, ffnDims, inputScale, layerNormEpsilon, hiddenDims) : null,
            new LinkedHashMap<>(metadata)
        );
        List<float[]> blocks = new ArrayList<>();
        if (namedBlocks.isEmpty() == false && type.isEncoder() == false) {
            throw new InvalidModelException("weights: a " + type.externalName() + " model has no named blocks; use layer(...) and output(...)");
        }
        if (type.isEncoder()) {
            List<BlockSpec> specs = header.blocks();
            for (BlockSpec spec : specs) {
                float[] values = namedBlocks.get(spec.name());
                if (values == null) {
                    throw new InvalidModelException(spec.name() + ": missing; a " + type.externalName() + " encoder needs " + spec.shape() + " floats");
                }
                blocks.add(values);
            }
            for (String name : namedBlocks.keySet()) {
                if (specs.stream().noneMatch(spec -> spec.name().equals(name))) {
                    throw new InvalidModelException(
                        name + ": not a block of this " + type.externalName() + " encoder; its blocks are "
                            + specs.stream().map(BlockSpec::name).toList()
                    );
                }
            }
        } else if (type.isNeural()) {
            if (outputWeights == null) {
                throw new InvalidModelException("output.weights: missing; a " + type.externalName() + " model needs an output layer");
            }
            blocks.addAll(layerBlocks);
            blocks.add(outputWeights);
            blocks.add(new float[] { outputBias });
        } else if (layers.isEmpty() == false || outputWeights != null) {
            throw new InvalidModelException("layers: a " + type.externalName() + " model has no layers");
        }
        return ModelBundle.parse(BundleCodec.write(HeaderJson.write(header), blocks));
    }
}
