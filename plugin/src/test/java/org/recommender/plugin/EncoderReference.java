package org.recommender.plugin;

import org.recommender.core.model.RandomModels;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * User encoders evaluated here in double precision from the formulas of {@code docs/model-format.md} ("User
 * encoders"), on the seeded weights {@link RandomModels} builds the uploaded bundles from — written independently of
 * core's encoders, so a test comparing the cluster's scores with these checks the whole path: pin, read, order, encode.
 */
public final class EncoderReference {
    private EncoderReference() {}

    /**
     * GRU4Rec: {@code r, z, n} gates as PyTorch's {@code nn.GRU}, then {@code u = W_o h_L + b_o}.
     *
     * @param items the indexed item vectors, by id
     * @param history oldest first; every occurrence counts
     */
    public static double[] gru4rec(Map<String, float[]> items, List<String> history, int itemDims, int hidden, int userDims, long seed) {
        Map<String, float[]> w = RandomModels.gru4recWeights(itemDims, hidden, userDims, seed);
        float[] wi = w.get("gru.input_weights"), wh = w.get("gru.hidden_weights"), bi = w.get("gru.input_bias"), bh = w.get("gru.hidden_bias");
        double[] h = new double[hidden];
        for (String id : history) {
            float[] e = items.get(id);
            double[] gi = new double[3 * hidden], gh = new double[3 * hidden];
            for (int row = 0; row < 3 * hidden; row++) {
                gi[row] = bi[row];
                for (int j = 0; j < itemDims; j++) {
                    gi[row] += (double) wi[row * itemDims + j] * e[j];
                }
                gh[row] = bh[row];
                for (int j = 0; j < hidden; j++) {
                    gh[row] += wh[row * hidden + j] * h[j];
                }
            }
            double[] next = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                double r = sigmoid(gi[j] + gh[j]);
                double z = sigmoid(gi[hidden + j] + gh[hidden + j]);
                double n = Math.tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j]);
                next[j] = (1 - z) * n + z * h[j];
            }
            h = next;
        }
        float[] wo = w.get("output.weights"), bo = w.get("output.bias");
        double[] u = new double[userDims];
        for (int d = 0; d < userDims; d++) {
            u[d] = bo[d];
            for (int j = 0; j < hidden; j++) {
                u[d] += wo[d * hidden + j] * h[j];
            }
        }
        return u;
    }

    /** Mult-DAE's encoder: {@code tanh(Σ_{distinct i} e_i / sqrt(n) + b)}, the bias {@link RandomModels#multdaeBias}. */
    public static double[] multdae(Map<String, float[]> items, List<String> history, int dims, long seed) {
        float[] b = RandomModels.multdaeBias(dims, seed);
        Set<String> distinct = new LinkedHashSet<>(history);
        double[] u = new double[dims];
        for (String id : distinct) {
            for (int d = 0; d < dims; d++) {
                u[d] += items.get(id)[d];
            }
        }
        for (int d = 0; d < dims; d++) {
            u[d] = Math.tanh(u[d] / Math.sqrt(distinct.size()) + b[d]);
        }
        return u;
    }

    /** The plain history user: the mean of the distinct items' vectors. */
    public static double[] mean(Map<String, float[]> items, List<String> history, int dims) {
        Set<String> distinct = new LinkedHashSet<>(history);
        double[] u = new double[dims];
        for (String id : distinct) {
            for (int d = 0; d < dims; d++) {
                u[d] += items.get(id)[d] / (double) distinct.size();
            }
        }
        return u;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
