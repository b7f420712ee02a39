package org.recommender.core.scoring;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a {@link Network} on the JVM for a batch of items with the Panama Vector API, eight items at a time.
 * Each layer's weights are held transposed (one row per input, outputs padded to whole SIMD vectors), so an output
 * block is built by broadcasting one input value and multiply-adding one weight vector: the accumulators stay in
 * registers for the whole row, one weight load serves eight items, and there is no horizontal reduction until the
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
public final class SimdNetworkKernel implements NetworkKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Items evaluated together: eight independent accumulator chains hide the multiply-add latency. */
    private static final int GROUP = 8;

    private final int itemDims;
    private final int firstWidth;
    private final int[] live;               // the item features the first layer reads, for every user
    private final int[] liveRuns;           // the same, as runs of consecutive features
    private final int skipLength;           // the leading item features the skip row reads
    private final Activation firstActivation;
    private final TransposedLayer[] hidden;  // the dense layers before the one-output last layer
    private final float[] outputWeights;     // the last layer, or null when the first layer is the last
    private final float outputBias;
    private final Activation outputActivation;
    private final int widest;
    private final Workspaces<Buffers> buffers;

    /** @param network the network to evaluate */
    public SimdNetworkKernel(Network network) {
        this.itemDims = network.itemDims();
        this.firstWidth = padded(network.first().rows());
        this.firstActivation = network.first().activation();
        this.live = network.first().itemFeaturesRead();
        this.liveRuns = runs(live);
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
        this.buffers = new Workspaces<>(Buffers::new);
    }

    /**
     * @return heap bytes of the transposed weights this kernel keeps beside the network's own, and of the working
     *     buffers it keeps between calls ({@link Workspaces#retainedBytes})
     */
    public long memoryBytes() {
        long h = DenseLayer.ARRAY_HEADER_BYTES;
        long buffer = h + 4L * live.length * firstWidth + h + 4L * firstWidth + 2L * GROUP * (h + 4L * widest) + h + 4L * LANES;
        long bytes = Workspaces.retainedBytes(buffer);
        bytes += outputWeights == null ? 0 : DenseLayer.ARRAY_HEADER_BYTES + 4L * outputWeights.length;
        for (TransposedLayer layer : hidden) {
            bytes += 2 * DenseLayer.ARRAY_HEADER_BYTES + 4L * (layer.weights.length + layer.bias.length);
        }
        return bytes;
    }

    @Override
    public void score(NetworkScratch scratch, float[][] items, int count, float[] out) {
        Buffers b = buffers.take();
        try {
            b.load(scratch);
            for (int i = 0; i < count; i += GROUP) {
                scoreGroup(scratch, b, items, i, count, out);
            }
        } finally {
            buffers.give(b);
        }
    }

    @Override
    public Kernel kernel() {
        return Kernel.SIMD;
    }

    /** Scores items {@code start .. start+GROUP-1}; past {@code count} the last item is repeated and its scores dropped. */
    private void scoreGroup(NetworkScratch scratch, Buffers b, float[][] items, int start, int count, float[] out) {
        float[][] x = b.group;
        for (int q = 0; q < GROUP; q++) {
            x[q] = items[Math.min(start + q, count - 1)];
        }
        float[][] h = b.ping;
        forward(b.firstWeights, b.firstBias, liveRuns, firstWidth, firstActivation, x, h);
        float[][] next = b.pong;
        for (TransposedLayer layer : hidden) {
            forward(layer.weights, layer.bias, layer.inputRuns, layer.width, layer.activation, h, next);
            float[][] t = h;
            h = next;
            next = t;
        }
        int valid = Math.min(GROUP, count - start);
        for (int q = 0; q < valid; q++) {
            out[start + q] = outputActivation.apply(output(scratch.skip, x[q], h[q], b.lanes));
        }
        Arrays.fill(x, null);
    }

    /**
     * The last layer's pre-activation for one item: its one output over the tower's last hidden layer {@code h}
     * plus the skip row over the item's leading features, in one accumulator whose lanes are summed once, in order.
     */
    private float output(float[] skip, float[] item, float[] h, float[] lanes) {
        if (outputWeights == null && skip == null) {
            return h[0];
        }
        FloatVector acc = FloatVector.zero(SPECIES);
        if (outputWeights != null) {
            for (int k = 0; k < outputWeights.length; k += LANES) {
                acc = FloatVector.fromArray(SPECIES, outputWeights, k).fma(FloatVector.fromArray(SPECIES, h, k), acc);
            }
        }
        int bound = skip == null ? 0 : SPECIES.loopBound(skipLength);
        for (int k = 0; k < bound; k += LANES) {
            acc = FloatVector.fromArray(SPECIES, skip, k).fma(FloatVector.fromArray(SPECIES, item, k), acc);
        }
        acc.intoArray(lanes, 0);
        float sum = outputWeights == null ? h[0] : outputBias;
        for (float lane : lanes) {
            sum += lane;
        }
        if (skip != null) {
            for (int k = bound; k < skipLength; k++) {
                sum = Math.fma(skip[k], item[k], sum);
            }
        }
        return sum;
    }

    /**
     * {@code h[q] = activation(bias + Σ_t weights[t]·x_q[k_t])} for the group's items, {@code width} outputs (a
     * multiple of the vector length), {@code weights} holding {@code width} floats per input read; the inputs read
     * are the runs {@code [runs[2r], runs[2r+1])} of each item's features, in order. Eight items share each weight
     * load, and eight independent multiply-add chains keep both FMA ports busy despite their latency.
     */
    private static void forward(float[] weights, float[] bias, int[] runs, int width, Activation activation, float[][] x, float[][] h) {
        int j = 0;
        for (; j + 2 * LANES <= width; j += 2 * LANES) {
            blockPair(weights, bias, runs, width, j, x, h);
            activate(activation, h, j, 2 * LANES);
        }
        if (j < width) {
            block(weights, bias, runs, width, j, x, h);
            activate(activation, h, j, LANES);
        }
    }

    /** Outputs {@code j .. j+LANES-1} of {@link #forward} before the activation. */
    private static void block(float[] weights, float[] bias, int[] runs, int width, int j, float[][] x, float[][] h) {
        float[] x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4], x5 = x[5], x6 = x[6], x7 = x[7];
        FloatVector a0 = FloatVector.fromArray(SPECIES, bias, j);
        FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int row = j;
        for (int r = 0; r < runs.length; r += 2) {
            for (int k = runs[r], end = runs[r + 1]; k < end; k++, row += width) {
                FloatVector w = FloatVector.fromArray(SPECIES, weights, row);
                a0 = FloatVector.broadcast(SPECIES, x0[k]).fma(w, a0);
                a1 = FloatVector.broadcast(SPECIES, x1[k]).fma(w, a1);
                a2 = FloatVector.broadcast(SPECIES, x2[k]).fma(w, a2);
                a3 = FloatVector.broadcast(SPECIES, x3[k]).fma(w, a3);
                a4 = FloatVector.broadcast(SPECIES, x4[k]).fma(w, a4);
                a5 = FloatVector.broadcast(SPECIES, x5[k]).fma(w, a5);
                a6 = FloatVector.broadcast(SPECIES, x6[k]).fma(w, a6);
                a7 = FloatVector.broadcast(SPECIES, x7[k]).fma(w, a7);
            }
        }
        a0.intoArray(h[0], j);
        a1.intoArray(h[1], j);
        a2.intoArray(h[2], j);
        a3.intoArray(h[3], j);
        a4.intoArray(h[4], j);
        a5.intoArray(h[5], j);
        a6.intoArray(h[6], j);
        a7.intoArray(h[7], j);
    }

    /**
     * Outputs {@code j .. j+2·LANES-1} of {@link #forward} before the activation: two output vectors per pass, so
     * each broadcast input serves two multiply-adds.
     */
    private static void blockPair(float[] weights, float[] bias, int[] runs, int width, int j, float[][] x, float[][] h) {
        float[] x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4], x5 = x[5], x6 = x[6], x7 = x[7];
        FloatVector a0 = FloatVector.fromArray(SPECIES, bias, j);
        FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = FloatVector.fromArray(SPECIES, bias, j + LANES);
        FloatVector b1 = b0, b2 = b0, b3 = b0, b4 = b0, b5 = b0, b6 = b0, b7 = b0;
        int row = j;
        for (int r = 0; r < runs.length; r += 2) {
            for (int k = runs[r], end = runs[r + 1]; k < end; k++, row += width) {
                FloatVector w = FloatVector.fromArray(SPECIES, weights, row);
                FloatVector v = FloatVector.fromArray(SPECIES, weights, row + LANES);
                FloatVector e = FloatVector.broadcast(SPECIES, x0[k]);
                a0 = e.fma(w, a0);
                b0 = e.fma(v, b0);
                e = FloatVector.broadcast(SPECIES, x1[k]);
                a1 = e.fma(w, a1);
                b1 = e.fma(v, b1);
                e = FloatVector.broadcast(SPECIES, x2[k]);
                a2 = e.fma(w, a2);
                b2 = e.fma(v, b2);
                e = FloatVector.broadcast(SPECIES, x3[k]);
                a3 = e.fma(w, a3);
                b3 = e.fma(v, b3);
                e = FloatVector.broadcast(SPECIES, x4[k]);
                a4 = e.fma(w, a4);
                b4 = e.fma(v, b4);
                e = FloatVector.broadcast(SPECIES, x5[k]);
                a5 = e.fma(w, a5);
                b5 = e.fma(v, b5);
                e = FloatVector.broadcast(SPECIES, x6[k]);
                a6 = e.fma(w, a6);
                b6 = e.fma(v, b6);
                e = FloatVector.broadcast(SPECIES, x7[k]);
                a7 = e.fma(w, a7);
                b7 = e.fma(v, b7);
            }
        }
        int m = j + LANES;
        a0.intoArray(h[0], j);
        b0.intoArray(h[0], m);
        a1.intoArray(h[1], j);
        b1.intoArray(h[1], m);
        a2.intoArray(h[2], j);
        b2.intoArray(h[2], m);
        a3.intoArray(h[3], j);
        b3.intoArray(h[3], m);
        a4.intoArray(h[4], j);
        b4.intoArray(h[4], m);
        a5.intoArray(h[5], j);
        b5.intoArray(h[5], m);
        a6.intoArray(h[6], j);
        b6.intoArray(h[6], m);
        a7.intoArray(h[7], j);
        b7.intoArray(h[7], m);
    }

    /** Applies the activation in place to outputs {@code j .. j+n-1} of every item of the group. */
    private static void activate(Activation activation, float[][] h, int j, int n) {
        if (activation == Activation.RELU) {
            for (float[] out : h) {
                for (int o = j; o < j + n; o += LANES) {
                    FloatVector.fromArray(SPECIES, out, o).max(0f).intoArray(out, o);
                }
            }
        } else if (activation == Activation.TANH || activation == Activation.SIGMOID) {
            for (float[] out : h) {
                for (int o = j; o < j + n; o++) {
                    out[o] = activation.apply(out[o]);
                }
            }
        }
    }

    /** @return {@code [from, to)} pairs covering the ascending indices, each pair a maximal run of consecutive ones */
    static int[] runs(int[] ascending) {
        int[] runs = new int[2 * ascending.length];
        int n = 0;
        for (int i = 0; i < ascending.length; i++) {
            if (n > 0 && runs[n - 1] == ascending[i]) {
                runs[n - 1]++;
            } else {
                runs[n++] = ascending[i];
                runs[n++] = ascending[i] + 1;
            }
        }
        return Arrays.copyOf(runs, n);
    }

    private static int padded(int width) {
        return (width + LANES - 1) / LANES * LANES;
    }

    /** A dense layer with its weights transposed: {@code width} floats (outputs, padded) per input. */
    private static final class TransposedLayer {
        final int inputs;
        final int[] inputRuns;
        final int width;
        final float[] weights;
        final float[] bias;
        final Activation activation;

        TransposedLayer(DenseLayer layer) {
            this.inputs = layer.inputs();
            this.inputRuns = new int[] { 0, inputs };
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

    /** One thread's buffers: the current user's first layer, transposed, and the group's layer outputs. */
    private final class Buffers {
        final float[] firstWeights = new float[live.length * firstWidth];
        final float[] firstBias = new float[firstWidth];
        final float[][] group = new float[GROUP][];
        final float[][] ping = new float[GROUP][widest];
        final float[][] pong = new float[GROUP][widest];
        final float[] lanes = new float[LANES];
        NetworkScratch loadedFrom;
        long loadedFold = -1;

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
