package org.recommender.core.model;

import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.DenseLayer;
import org.recommender.core.scoring.InputPart;
import org.recommender.core.scoring.InputSegment;
import org.recommender.core.scoring.ItemAffineLayer;
import org.recommender.core.scoring.Network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a validated {@code mlp} or {@code neumf} header and its weight blocks into the {@link Network} both
 * kernels evaluate. This is the only place where the two model types differ: which input elements the first layer
 * reads, and whether the output layer has a GMF part.
 */
final class NetworkFactory {
    private NetworkFactory() {}

    /**
     * @param header a validated neural header
     * @param blocks its weight blocks, in {@link ModelHeader#blocks()} order
     */
    static Network build(ModelHeader header, List<float[]> blocks) {
        List<DenseLayer> dense = new ArrayList<>();
        for (int i = 0; i < header.layers().size(); i++) {
            LayerSpec spec = header.layers().get(i);
            dense.add(new DenseLayer(spec.inputs(), spec.outputs(), blocks.get(2 * i), blocks.get(2 * i + 1), spec.activation()));
        }
        float[] outputWeights = blocks.get(2 * header.layers().size());
        float[] outputBias = blocks.get(2 * header.layers().size() + 1);

        float[] gmfWeights = null;
        if (header.type() == ModelType.NEUMF) {
            // output.weights = [GMF part (gmf_dims), tower part (last tower width)]
            gmfWeights = Arrays.copyOfRange(outputWeights, 0, header.gmfDims());
            outputWeights = Arrays.copyOfRange(outputWeights, header.gmfDims(), outputWeights.length);
        }
        dense.add(new DenseLayer(outputWeights.length, 1, outputWeights, outputBias, Activation.IDENTITY));

        DenseLayer first = dense.remove(0);
        ItemAffineLayer folded = ItemAffineLayer.of(first, layout(header), header.userDims(), header.itemDims(), gmfWeights);
        return new Network(folded, dense, header.outputActivation());
    }

    /** Which elements of u, v and u⊙v the first layer's columns read, in column order. */
    private static List<InputSegment> layout(ModelHeader header) {
        if (header.type() == ModelType.NEUMF) {
            int g = header.gmfDims();
            return List.of(
                new InputSegment(InputPart.USER, g, header.userDims() - g),
                new InputSegment(InputPart.ITEM, g, header.itemDims() - g)
            );
        }
        List<InputSegment> layout = new ArrayList<>();
        for (InputPart part : header.input()) {
            layout.add(new InputSegment(part, 0, part == InputPart.ITEM ? header.itemDims() : header.userDims()));
        }
        return layout;
    }
}
