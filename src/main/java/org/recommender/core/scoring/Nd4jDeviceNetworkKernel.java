package org.recommender.core.scoring;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Evaluates a {@link Network} with plain ND4J array operations ({@code mmul}, row-vector adds, in-place activations),
 * so it runs on whichever backend ND4J loaded — on the CUDA backend, on the GPU. Same layout and function as
 * {@link Nd4jNetworkKernel} (users' folded first layers side by side, then one product per layer over all
 * user × item pairs), without that kernel's host-pointer BLAS calls, which only the CPU backend allows. Weights are
 * copied to the backend once per network; each call copies the items in and the scores out, staging them in host
 * arrays each thread keeps ({@link StagingArrays}).
 *
 * <p>On the CPU backend this kernel is slower than {@link Nd4jNetworkKernel} (each op is dispatched), and it is used
 * there only by the tests that prove it computes the same scores.
 */
public final class Nd4jDeviceNetworkKernel implements NetworkKernel {
    private static final int ITEMS = 0;
    private static final int STACKED = 1;
    private static final int OFFSETS = 2;
    private static final int SKIPS = 3;
    /** How many arrays a call stages at once. */
    static final int SLOTS = 4;

    private final Network network;
    private volatile DeviceWeights weights;
    // host staging for the arrays ND4J copies to the backend, one set per call
    private final Workspaces<StagingArrays> staging = new Workspaces<>(() -> new StagingArrays(SLOTS));

    /** @param network the network to evaluate; its weights are copied to the backend on the first call */
    public Nd4jDeviceNetworkKernel(Network network) {
        this.network = network;
    }

    /** Scores one user: as {@link #score(NetworkScratch[], int, float[][], int, float[][])} with one fold. */
    @Override
    public void score(NetworkScratch scratch, float[][] items, int count, float[] out) {
        float[] flat = run(new NetworkScratch[] { scratch }, 1, items, count);
        System.arraycopy(flat, 0, out, 0, count);
    }

    @Override
    public void score(NetworkScratch[] folds, int users, float[][] items, int count, float[][] out) {
        float[] flat = run(folds, users, items, count);
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < count; i++) {
                out[u][i] = flat[i * users + u];
            }
        }
    }

    @Override
    public Kernel kernel() {
        return Kernel.ND4J_GPU;
    }

    /** @return the score of item i for user u at {@code i·users + u} */
    private float[] run(NetworkScratch[] folds, int users, float[][] items, int count) {
        DeviceWeights w = weights();
        StagingArrays host = staging.take();
        try {
            return run(w, host, folds, users, items, count);
        } finally {
            staging.give(host);
        }
    }

    private float[] run(DeviceWeights w, StagingArrays host, NetworkScratch[] folds, int users, float[][] items, int count) {
        ItemAffineLayer first = network.first();
        int dims = first.itemDims();
        int rows = first.rows();
        int pairs = count * users;
        float[] itemRows = host.get(ITEMS, count * dims);
        for (int i = 0; i < count; i++) {
            System.arraycopy(items[i], 0, itemRows, i * dims, dims);
        }
        float[] stacked = host.get(STACKED, users * rows * dims);
        float[] offsets = host.get(OFFSETS, users * rows);
        float[] skips = first.hasSkip() ? host.get(SKIPS, users * dims) : null;
        for (int u = 0; u < users; u++) {
            NetworkScratch fold = folds[u];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(fold.matrix[r], 0, stacked, (u * rows + r) * dims, dims);
            }
            System.arraycopy(fold.offsets, 0, offsets, u * rows, rows);
            if (skips != null) {
                System.arraycopy(fold.skip, 0, skips, u * dims, dims);
            }
        }
        INDArray v = Nd4j.create(itemRows, new long[] { count, dims }, DataType.FLOAT);
        INDArray a = Nd4j.create(stacked, new long[] { (long) users * rows, dims }, DataType.FLOAT);
        INDArray h = v.mmul(a.transpose());                                   // count × (users·rows)
        h.addiRowVector(Nd4j.create(offsets, new long[] { 1, (long) users * rows }, DataType.FLOAT));
        Nd4jNetworkKernel.activate(h, first.activation());
        h = h.reshape('c', new long[] { pairs, rows });                                     // the same memory, one row per pair
        List<DenseLayer> layers = network.layers();
        for (int i = 0; i < layers.size(); i++) {
            h = h.mmul(w.transposed[i]);
            h.addiRowVector(w.biases[i]);
            Nd4jNetworkKernel.activate(h, layers.get(i).activation());
        }
        INDArray scores = h.reshape('c', new long[] { pairs });
        if (skips != null) {
            INDArray s = Nd4j.create(skips, new long[] { users, dims }, DataType.FLOAT);
            scores.addi(v.mmul(s.transpose()).reshape('c', new long[] { pairs }));         // += V·Sᵀ, count × users
        }
        float[] out = scores.toFloatVector(); // logical order, whatever layout the products chose
        Activation output = network.outputActivation();
        for (int i = 0; i < pairs; i++) {
            out[i] = output.apply(out[i]);
        }
        return out;
    }

    private DeviceWeights weights() {
        DeviceWeights w = weights;
        if (w == null) {
            synchronized (this) {
                w = weights;
                if (w == null) {
                    w = new DeviceWeights(network.layers());
                    weights = w;
                }
            }
        }
        return w;
    }

    /** Each dense layer's weights transposed ({@code inputs × outputs}) and bias ({@code 1 × outputs}), on the backend. */
    private static final class DeviceWeights {
        final INDArray[] transposed;
        final INDArray[] biases;

        DeviceWeights(List<DenseLayer> layers) {
            transposed = new INDArray[layers.size()];
            biases = new INDArray[layers.size()];
            for (int i = 0; i < layers.size(); i++) {
                DenseLayer layer = layers.get(i);
                transposed[i] = Nd4j.create(layer.weightsRowMajor(), new long[] { layer.outputs(), layer.inputs() }, DataType.FLOAT)
                    .transpose()
                    .dup('c');
                biases[i] = Nd4j.create(layer.bias(), new long[] { 1, layer.outputs() }, DataType.FLOAT);
            }
        }
    }
}
