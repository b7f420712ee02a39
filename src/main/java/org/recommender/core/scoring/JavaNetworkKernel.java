package org.recommender.core.scoring;

import org.recommender.core.vector.VectorMath;

import java.util.List;

/**
 * Evaluates a {@link Network} on the JVM, one item at a time: every output of every layer is one Lucene
 * {@link VectorMath#dot} (Panama SIMD where the JVM allows it). No per-call fixed cost, so it serves
 * per-document scoring and small batches; all memory comes from the caller's {@link NetworkScratch}.
 */
public final class JavaNetworkKernel implements NetworkKernel {
    private final List<DenseLayer> layers;
    private final Activation firstActivation;
    private final Activation outputActivation;

    /** @param network the network to evaluate */
    public JavaNetworkKernel(Network network) {
        this.layers = network.layers();
        this.firstActivation = network.first().activation();
        this.outputActivation = network.outputActivation();
    }

    /**
     * Scores one item.
     *
     * @param scratch this thread's scratch, already {@link NetworkScratch#prepare prepared} for the user
     * @param item the item vector, {@code itemDims} long
     * @return the model score
     */
    public float score(NetworkScratch scratch, float[] item) {
        float[][] matrix = scratch.matrix;
        float[] offsets = scratch.offsets;
        float[] h = scratch.outputs[0];
        for (int r = 0; r < h.length; r++) {
            h[r] = firstActivation.apply(VectorMath.dot(matrix[r], item) + offsets[r]);
        }
        float skip = scratch.skip == null ? 0f : VectorMath.dot(scratch.skip, item);
        for (int i = 0; i < layers.size(); i++) {
            float[] next = scratch.outputs[i + 1];
            layers.get(i).forward(h, next);
            h = next;
        }
        return outputActivation.apply(h[0] + skip);
    }

    @Override
    public void score(NetworkScratch scratch, float[][] items, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = score(scratch, items[i]);
        }
    }

    @Override
    public Kernel kernel() {
        return Kernel.JAVA;
    }
}
