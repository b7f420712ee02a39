package org.recommender.tools.train.ease;

import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.DoubleGemm;
import org.recommender.tools.train.FactorModel;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * ELSA's weights and its loss, in double precision: W ({@code items × dims}, row-major, one flat array), used as A,
 * W with each row scaled to unit length. A user's binary row x is reconstructed as {@code p = (x·A)·Aᵀ − x}, and the
 * loss is {@code ‖p/‖p‖ − x/‖x‖‖²}, averaged over a batch of users. The backward pass is written out:
 *
 * <ul>
 *   <li>with {@code q = p/‖p‖} and {@code t = x/‖x‖} both of unit length, the loss is {@code 2 − 2 q·t} and
 *       {@code ∂L/∂p = (2/‖p‖)·((q·t)·q − t)} (the gradient of a normalisation removes the component along q);</li>
 *   <li>with {@code h = x·A} and {@code g = ∂L/∂p}: {@code ∂L/∂A = xᵀ(g·A) + gᵀh};</li>
 *   <li>through the row normalisation {@code A_i = W_i/‖W_i‖}: {@code ∂L/∂W_i = (∂L/∂A_i − A_i (A_i·∂L/∂A_i)) / ‖W_i‖}.</li>
 * </ul>
 *
 * <p>A batch of b users costs three dense products of b × items × dims ({@link DoubleGemm}), each split into row
 * blocks over the common fork-join pool; DoubleGemm sums every element in the same order whatever block it falls in,
 * so the result does not depend on the thread count: the same seed gives the same weights.
 */
final class ElsaNetwork {
    private final int items;
    private final int dims;
    private final double[] weights;
    private final double[] normalized;
    private final double[] norms;
    private final double[] transposed;
    private double[] encoded = new double[0];
    private double[] output = new double[0];
    private double[] outputTransposed = new double[0];
    private double[] back = new double[0];

    /** A network with W drawn as PyTorch's {@code xavier_uniform_} draws it, as the authors initialise A. */
    ElsaNetwork(int items, int dims, SplittableRandom random) {
        this(items, dims, xavier(items, dims, random));
    }

    /** @param weights W, {@code items × dims} row-major; used, not copied */
    ElsaNetwork(int items, int dims, double[] weights) {
        if (weights.length != (long) items * dims) {
            throw new IllegalArgumentException("W needs " + items + " × " + dims + " weights but has " + weights.length);
        }
        this.items = items;
        this.dims = dims;
        this.weights = weights;
        this.normalized = new double[weights.length];
        this.norms = new double[items];
        this.transposed = new double[weights.length];
    }

    private static double[] xavier(int items, int dims, SplittableRandom random) {
        double bound = Math.sqrt(6.0 / (items + dims));
        double[] w = new double[items * dims];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextDouble(-bound, bound);
        }
        return w;
    }

    /** @return W, the parameters Adam updates (not a copy) */
    double[] weights() {
        return weights;
    }

    /**
     * The batch's mean loss and its gradient with respect to W.
     *
     * @param users the batch is {@code users[from]} … {@code users[from + size − 1]}, each with at least one item
     * @param gradient receives ∂(mean loss)/∂W, laid out as W (overwritten)
     * @return the mean loss
     */
    double lossAndGradient(UserItemMatrix data, int[] users, int from, int size, double[] gradient) {
        forward(data, users, from, size);
        double loss = 0;
        for (int r = 0; r < size; r++) {
            loss += outputGradient(data.itemsOf(users[from + r]), r * items, size);
        }
        // back = g·A (b × dims), then ∂L/∂A = gᵀ·h, plus g·A spread over each user's items
        product(output, size, items, normalized, dims, back);
        DoubleGemm.transpose(output, 0, size, items, outputTransposed, 0);
        product(outputTransposed, items, size, encoded, dims, gradient);
        for (int r = 0; r < size; r++) {
            for (int i : data.itemsOf(users[from + r])) {
                int row = i * dims;
                for (int f = 0; f < dims; f++) {
                    gradient[row + f] += back[r * dims + f];
                }
            }
        }
        // through the row normalisation
        for (int i = 0; i < items; i++) {
            int row = i * dims;
            double along = 0;
            for (int f = 0; f < dims; f++) {
                along += normalized[row + f] * gradient[row + f];
            }
            for (int f = 0; f < dims; f++) {
                gradient[row + f] = (gradient[row + f] - normalized[row + f] * along) / norms[i];
            }
        }
        return loss / size;
    }

    /**
     * The reconstructions {@code p = (x·A)·Aᵀ − x} of a batch: what the loss compares with x, and, on the items a
     * user has not seen, the scores the model ranks by.
     *
     * @return row r is user {@code users[from + r]}'s p over every item (a buffer the next call reuses)
     */
    double[] reconstruct(UserItemMatrix data, int[] users, int from, int size) {
        forward(data, users, from, size);
        return output;
    }

    /** Fills A, Aᵀ, h = x·A and p = h·Aᵀ − x for the batch. */
    private void forward(UserItemMatrix data, int[] users, int from, int size) {
        normalize();
        DoubleGemm.transpose(normalized, 0, items, dims, transposed, 0);
        if (output.length < size * items) {
            encoded = new double[size * dims];
            output = new double[size * items];
            outputTransposed = new double[size * items];
            back = new double[size * dims];
        }
        Arrays.fill(encoded, 0, size * dims, 0);
        for (int r = 0; r < size; r++) {
            encode(data.itemsOf(users[from + r]), encoded, r * dims);
        }
        product(encoded, size, dims, transposed, items, output);
        for (int r = 0; r < size; r++) {
            for (int i : data.itemsOf(users[from + r])) {
                output[r * items + i] -= 1;
            }
        }
    }

    /** A = W with unit rows; keeps each row's length for the backward pass. */
    private void normalize() {
        for (int i = 0; i < items; i++) {
            int row = i * dims;
            double sum = 0;
            for (int f = 0; f < dims; f++) {
                sum += weights[row + f] * weights[row + f];
            }
            double norm = Math.sqrt(sum);
            norms[i] = norm;
            for (int f = 0; f < dims; f++) {
                normalized[row + f] = weights[row + f] / norm;
            }
        }
    }

    /** Adds {@code x·A}, the sum of the rows of A of {@code seen}, into {@code out} from {@code at}. */
    private void encode(int[] seen, double[] out, int at) {
        for (int i : seen) {
            int row = i * dims;
            for (int f = 0; f < dims; f++) {
                out[at + f] += normalized[row + f];
            }
        }
    }

    /**
     * One user's loss, and its p in {@code output} (from {@code at}) replaced by ∂(loss / batch)/∂p.
     *
     * @return {@code ‖p/‖p‖ − x/‖x‖‖²}
     */
    private double outputGradient(int[] seen, int at, int batch) {
        double squares = 0;
        for (int i = 0; i < items; i++) {
            squares += output[at + i] * output[at + i];
        }
        double pNorm = Math.sqrt(squares);
        double xNorm = Math.sqrt(seen.length);
        double qt = 0;
        for (int i : seen) {
            qt += output[at + i];
        }
        qt /= pNorm * xNorm;
        double scale = 2 / (pNorm * batch);
        for (int i = 0; i < items; i++) {
            output[at + i] = scale * qt * output[at + i] / pNorm;
        }
        for (int i : seen) {
            output[at + i] -= scale / xNorm;
        }
        return 2 - 2 * qt;
    }

    /** C[m×n] = A[m×k]·B[k×n], its rows in blocks over the common pool. */
    private static void product(double[] a, int m, int k, double[] b, int n, double[] c) {
        Arrays.fill(c, 0, m * n, 0);
        int block = Math.max(4, ((m + 15) / 16 + 3) / 4 * 4); // at most 16 blocks, whole four-row tiles
        IntStream.range(0, (m + block - 1) / block).parallel().forEach(chunk -> {
            int start = chunk * block;
            DoubleGemm.multiplyAdd(a, start * k, Math.min(block, m - start), k, b, 0, n, c, start * n);
        });
    }

    /**
     * The servable model: items are the rows of A, users {@code x·A}, so that an unseen item's score
     * {@code (x·A)·A_i} is the user's reconstruction of it (on seen items the reconstruction is one less; they are not
     * ranked). Users without items get zero vectors. Float copies: shares nothing with the network.
     */
    FactorModel model(String name, UserItemMatrix data) {
        normalize();
        float[][] itemVectors = new float[items][dims];
        for (int i = 0; i < items; i++) {
            for (int f = 0; f < dims; f++) {
                itemVectors[i][f] = (float) normalized[i * dims + f];
            }
        }
        float[][] userVectors = new float[data.users()][dims];
        double[] h = new double[dims];
        for (int u = 0; u < data.users(); u++) {
            Arrays.fill(h, 0);
            encode(data.itemsOf(u), h, 0);
            for (int f = 0; f < dims; f++) {
                userVectors[u][f] = (float) h[f];
            }
        }
        return new FactorModel(name, userVectors, itemVectors);
    }
}
