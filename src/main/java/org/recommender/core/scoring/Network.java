package org.recommender.core.scoring;

import java.util.List;

/**
 * A feed-forward scoring network in the form both kernels evaluate: a user-folded first layer, then zero or more
 * dense layers, ending in a single output to which the optional GMF skip value is added before the output
 * activation:
 * <pre>
 *   h0    = act0(A(u)·v + c(u))                    ({@link ItemAffineLayer})
 *   h_i   = act_i(W_i·h_(i−1) + b_i)               (each of {@link #layers()}; the last has one output, identity)
 *   score = outputActivation(h_last + s(u)·v)      (s(u)·v = 0 without a skip row)
 * </pre>
 * When {@link #layers()} is empty the first layer is the output layer (one row, identity activation). Immutable and
 * shared by every thread; per-thread state lives in {@link NetworkScratch}.
 */
public final class Network {
    private final ItemAffineLayer first;
    private final List<DenseLayer> layers;
    private final Activation outputActivation;

    /**
     * @param first the user-folded first layer
     * @param layers the remaining layers, each reading the previous one's output
     * @param outputActivation applied to the final sum
     * @throws IllegalArgumentException when the widths do not chain or the last width is not 1
     */
    public Network(ItemAffineLayer first, List<DenseLayer> layers, Activation outputActivation) {
        int width = first.rows();
        for (DenseLayer layer : layers) {
            if (layer.inputs() != width) {
                throw new IllegalArgumentException("a layer reads " + layer.inputs() + " values but the previous one writes " + width);
            }
            width = layer.outputs();
        }
        if (width != 1) {
            throw new IllegalArgumentException("the last layer must have one output but has " + width);
        }
        Activation lastActivation = layers.isEmpty() ? first.activation() : layers.get(layers.size() - 1).activation();
        if (lastActivation != Activation.IDENTITY) {
            throw new IllegalArgumentException("the output layer's own activation must be identity; use outputActivation");
        }
        this.first = first;
        this.layers = List.copyOf(layers);
        this.outputActivation = outputActivation;
    }

    /** @return the user-folded first layer */
    public ItemAffineLayer first() {
        return first;
    }

    /** @return the layers after the first, in order */
    public List<DenseLayer> layers() {
        return layers;
    }

    /** @return the activation applied to the final score */
    public Activation outputActivation() {
        return outputActivation;
    }

    /** @return the dimension of user vectors */
    public int userDims() {
        return first.userDims();
    }

    /** @return the dimension of item vectors */
    public int itemDims() {
        return first.itemDims();
    }

    /**
     * @return the multiply-adds one item's score takes once the user is folded in, whichever kernel runs it: the first
     *     layer's rows over every item feature (a kernel may skip features no row reads; this is the bound), the
     *     skip row, then each layer's inputs × outputs. A user's fold ({@link ItemAffineLayer#fold}) is once per
     *     call and not counted.
     */
    public long itemWork() {
        long work = (long) first.rows() * first.itemDims() + first.skipLength();
        for (DenseLayer layer : layers) {
            work += (long) layer.inputs() * layer.outputs();
        }
        return work;
    }

    /** @return heap bytes of the weights and biases, in their folded form */
    public long memoryBytes() {
        long bytes = first.memoryBytes();
        for (DenseLayer layer : layers) {
            bytes += layer.memoryBytes();
        }
        return bytes;
    }
}
