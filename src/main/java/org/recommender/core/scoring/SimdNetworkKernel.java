package org.recommender.core.scoring;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a {@link Network} on the JVM for a batch of items with the Panama Vector API, four items at a time.
 * Each layer's weights are held transposed (one row per input, outputs padded to whole SIMD vectors), so an output
 * block is built by broadcasting one input value and multiply-adding one weight vector: the accumulators stay in
 * registers for the whole row, one weight load serves four items, and there is no horizontal reduction until the
 * one-output last layer. Item features the first layer never reads ({@link ItemAffineLayer#itemFeaturesRead()})
 * are skipped, so a NeuMF tower does no work for the GMF slice, and the skip row reads only that slice.
 *
 * <p>Only construct this class when {@link org.recommender.core.compute.VectorApi#present()}: it links against
 * {@code jdk.incubator.vector}. The arithmetic per item is the same as the other kernels'; the order of the
 * additions differs. Scores are reproducible bit for bit whether or not the JIT has compiled this code yet: the
 * kernel uses only exactly rounded lane operations (fused multiply-add, max), sums lanes in a fixed scalar order
 * rather than with {@code reduceLanes}, and applies {@code tanh} and {@code sigmoid} with {@link Activation#apply}
 * rather than the Vector API's approximations, whose interpreted and compiled forms round differently. Thread-safe:
 * each thread gets its own buffers, allocated once.
 */
public final class SimdNetworkKernel implements NetworkBatchKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Items evaluated together: four independent accumulator chains hide the multiply-add latency. */
    private static final int GROUP = 4;

    private final int itemDims;
    private final int firstWidth;
    private final int[] live;               // the item features the first layer reads, for every user
    private final int skipLength;           // the leading item features the skip row reads
    private final Activation firstActivation;
    private final TransposedLayer[] hidden;  // the dense layers before the one-output last layer
    private final float[] outputWeights;     // the last layer, or null when the first layer is the last
    private final float outputBias;
    private final Activation outputActivation;
    private final int widest;
    private final ThreadLocal<Buffers> buffers;

    /** @param network the network to evaluate */
    public SimdNetworkKernel(Network network) {
        this.itemDims = network.itemDims();
        this.firstWidth = padded(network.first().rows());
        this.firstActivation = network.first().activation();
        this.live = network.first().itemFeaturesRead();
        this.skipLength = network.first().skipLength();
        List<DenseLayer> layers = network.layers();
        int widest = firstWidth;
        if (layers.isEmpty()) {
            this.hidden = new TransposedLayer[0];
            this.outputWeights = null;
            this.outputBias = 0f;
        } else {
            this.hidden = new TransposedLayer[layers.size() - 1];
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = new TransposedLayer(layers.get(i));
                widest = Math.max(widest, hidden[i].width);
            }
            DenseLayer last = layers.get(layers.size() - 1);
            this.outputWeights = Arrays.copyOf(last.weightsRowMajor(), padded(last.inputs()));
            this.outputBias = last.bias()[0];
        }
        this.outputActivation = network.outputActivation();
        this.widest = widest;
        this.buffers = ThreadLocal.withInitial(Buffers::new);
    }

    /** @return heap bytes of the transposed weights this kernel keeps beside the network's own */
    public long memoryBytes() {
        long bytes = outputWeights == null ? 0 : DenseLayer.ARRAY_HEADER_BYTES + 4L * outputWeights.length;
        for (TransposedLayer layer : hidden) {
            bytes += 2 * DenseLayer.ARRAY_HEADER_BYTES + 4L * (layer.weights.length + layer.bias.length);
        }
        return bytes;
    }

    @Override
    public void score(NetworkScratch scratch, float[][] items, int count, float[] out) {
        Buffers b = buffers.get();
        b.load(scratch);
        for (int i = 0; i < count; i += GROUP) {
            scoreGroup(scratch, b, items, i, count, out);
        }
    }

    @Override
    public void score(NetworkScratch[] folds, float[][] items, int count, float[][] out) {
        for (int u = 0; u < folds.length; u++) {
            score(folds[u], items, count, out[u]);
        }
    }

    /** Scores items {@code start .. start+3}; past {@code count} the last item is repeated and its scores dropped. */
    private void scoreGroup(NetworkScratch scratch, Buffers b, float[][] items, int start, int count, float[] out) {
        float[] x0 = items[start];
        float[] x1 = items[Math.min(start + 1, count - 1)];
        float[] x2 = items[Math.min(start + 2, count - 1)];
        float[] x3 = items[Math.min(start + 3, count - 1)];
        float[][] h = b.ping;
        forward(b.firstWeights, b.firstBias, live, live.length, firstWidth, firstActivation, x0, x1, x2, x3, h);
        float[][] next = b.pong;
        for (TransposedLayer layer : hidden) {
            forward(layer.weights, layer.bias, b.identity, layer.inputs, layer.width, layer.activation, h[0], h[1], h[2], h[3], next);
            float[][] t = h;
            h = next;
            next = t;
        }
        int valid = Math.min(GROUP, count - start);
        for (int q = 0; q < valid; q++) {
            float value = outputWeights == null ? h[q][0] : dot(outputWeights, h[q], outputWeights.length, b.lanes) + outputBias;
            if (scratch.skip != null) {
                value += dot(scratch.skip, items[start + q], skipLength, b.lanes);
            }
            out[start + q] = outputActivation.apply(value);
        }
    }

    /**
     * {@code h[q] = activation(bias + Σ_t weights[t]·x_q[inputs[t]])} for the four items, {@code width} outputs
     * (a multiple of the vector length), {@code weights} holding {@code width} floats per input.
     */
    private static void forward(
        float[] weights,
        float[] bias,
        int[] inputs,
        int inputCount,
        int width,
        Activation activation,
        float[] x0,
        float[] x1,
        float[] x2,
        float[] x3,
        float[][] h
    ) {
        for (int j = 0; j < width; j += LANES) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, bias, j);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int t = 0, row = j; t < inputCount; t++, row += width) {
                int k = inputs[t];
                FloatVector w = FloatVector.fromArray(SPECIES, weights, row);
                a0 = FloatVector.broadcast(SPECIES, x0[k]).fma(w, a0);
                a1 = FloatVector.broadcast(SPECIES, x1[k]).fma(w, a1);
                a2 = FloatVector.broadcast(SPECIES, x2[k]).fma(w, a2);
                a3 = FloatVector.broadcast(SPECIES, x3[k]).fma(w, a3);
            }
            if (activation == Activation.RELU) {
                a0 = a0.max(0f);
                a1 = a1.max(0f);
                a2 = a2.max(0f);
                a3 = a3.max(0f);
            }
            a0.intoArray(h[0], j);
            a1.intoArray(h[1], j);
            a2.intoArray(h[2], j);
            a3.intoArray(h[3], j);
            if (activation == Activation.TANH || activation == Activation.SIGMOID) {
                for (float[] row : h) {
                    for (int o = j; o < j + LANES; o++) {
                        row[o] = activation.apply(row[o]);
                    }
                }
            }
        }
    }

    /** Σ a[k]·b[k] over {@code k < n}, lanes summed in order; both arrays at least {@code n} long. */
    private static float dot(float[] a, float[] b, int n, float[] lanes) {
        int bound = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int k = 0; k < bound; k += LANES) {
            acc = FloatVector.fromArray(SPECIES, a, k).fma(FloatVector.fromArray(SPECIES, b, k), acc);
        }
        acc.intoArray(lanes, 0);
        float sum = 0f;
        for (float lane : lanes) {
            sum += lane;
        }
        for (int k = bound; k < n; k++) {
            sum = Math.fma(a[k], b[k], sum);
        }
        return sum;
    }

    private static int padded(int width) {
        return (width + LANES - 1) / LANES * LANES;
    }

    /** A dense layer with its weights transposed: {@code width} floats (outputs, padded) per input. */
    private static final class TransposedLayer {
        final int inputs;
        final int width;
        final float[] weights;
        final float[] bias;
        final Activation activation;

        TransposedLayer(DenseLayer layer) {
            this.inputs = layer.inputs();
            this.width = padded(layer.outputs());
            this.weights = new float[inputs * width];
            this.bias = Arrays.copyOf(layer.bias(), width);
            float[] rowMajor = layer.weightsRowMajor();
            for (int o = 0; o < layer.outputs(); o++) {
                for (int k = 0; k < inputs; k++) {
                    weights[k * width + o] = rowMajor[o * inputs + k];
                }
            }
            this.activation = layer.activation();
        }
    }

    /** One thread's buffers: the current user's first layer, transposed, and the four items' layer outputs. */
    private final class Buffers {
        final float[] firstWeights = new float[live.length * firstWidth];
        final float[] firstBias = new float[firstWidth];
        final int[] identity = new int[widest];
        final float[][] ping = new float[GROUP][widest];
        final float[][] pong = new float[GROUP][widest];
        final float[] lanes = new float[LANES];
        NetworkScratch loadedFrom;
        long loadedFold = -1;

        Buffers() {
            for (int k = 0; k < widest; k++) {
                identity[k] = k;
            }
        }

        /** Transposes the read columns of the scratch's folded first layer A(u), unless they are loaded already. */
        void load(NetworkScratch scratch) {
            if (scratch == loadedFrom && scratch.foldCount() == loadedFold) {
                return;
            }
            float[][] matrix = scratch.matrix;
            for (int t = 0; t < live.length; t++) {
                int base = t * firstWidth;
                for (int r = 0; r < matrix.length; r++) {
                    firstWeights[base + r] = matrix[r][live[t]];
                }
            }
            System.arraycopy(scratch.offsets, 0, firstBias, 0, matrix.length);
            loadedFrom = scratch;
            loadedFold = scratch.foldCount();
        }
    }
}
