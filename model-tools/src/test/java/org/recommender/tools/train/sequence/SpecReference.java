package org.recommender.tools.train.sequence;

/**
 * The encoder formulas of {@code docs/model-format.md} ("User encoders") written out in double precision, straight
 * from the text and independent of the trainers and the core encoders they are compared with.
 */
final class SpecReference {
    private SpecReference() {}

    /** sasrec: the user vector of the history {@code items} (oldest first) read from {@code w}. */
    static double[] sasrec(EncoderWeights w, int[] items) {
        int d = w.intField("item_dims");
        int m = w.intField("max_length");
        int heads = w.intField("heads");
        int blocks = w.intField("num_blocks");
        int f = w.intField("ffn_dims");
        double scale = w.doubleField("input_scale");
        double eps = w.doubleField("layer_norm_epsilon");
        int l = items.length;
        float[] p = w.block("positions");
        double[][] x = new double[l][d];
        for (int t = 0; t < l; t++) {
            int row = m - l + t; // P[M − L + t − 1] with t 1-based
            for (int c = 0; c < d; c++) {
                x[t][c] = scale * w.items()[items[t]][c] + p[row * d + c];
            }
        }
        int dh = d / heads;
        for (int b = 0; b < blocks; b++) {
            String n = "blocks[" + b + "].";
            double[][] a = new double[l][];
            for (int t = 0; t < l; t++) {
                a[t] = ln(x[t], w.block(n + "attention_norm.gain"), w.block(n + "attention_norm.bias"), eps);
            }
            float[] win = w.block(n + "attention.in_weights");
            float[] bin = w.block(n + "attention.in_bias");
            double[][] qkv = new double[l][];
            for (int t = 0; t < l; t++) {
                qkv[t] = affine(win, bin, a[t], 3 * d, d);
            }
            double[][] o = new double[l][d];
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < l; t++) {
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        double dot = 0;
                        for (int c = 0; c < dh; c++) {
                            dot += qkv[t][h * dh + c] * qkv[j][d + h * dh + c];
                        }
                        s[j] = dot / Math.sqrt(dh);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j <= t; j++) {
                        s[j] = Math.exp(s[j] - max);
                        z += s[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        for (int c = 0; c < dh; c++) {
                            o[t][h * dh + c] += s[j] / z * qkv[j][2 * d + h * dh + c];
                        }
                    }
                }
            }
            for (int t = 0; t < l; t++) {
                double[] out = affine(w.block(n + "attention.out_weights"), w.block(n + "attention.out_bias"), o[t], d, d);
                for (int c = 0; c < d; c++) {
                    x[t][c] += out[c];
                }
                double[] g = ln(x[t], w.block(n + "ffn_norm.gain"), w.block(n + "ffn_norm.bias"), eps);
                double[] hid = affine(w.block(n + "ffn.in_weights"), w.block(n + "ffn.in_bias"), g, f, d);
                for (int c = 0; c < f; c++) {
                    hid[c] = Math.max(0, hid[c]);
                }
                double[] y = affine(w.block(n + "ffn.out_weights"), w.block(n + "ffn.out_bias"), hid, d, f);
                for (int c = 0; c < d; c++) {
                    x[t][c] += y[c];
                }
            }
        }
        return ln(x[l - 1], w.block("final_norm.gain"), w.block("final_norm.bias"), eps);
    }

    /** gru4rec: the user vector of the history {@code items} read from {@code w}. */
    static double[] gru4rec(EncoderWeights w, int[] items) {
        int d = w.intField("item_dims");
        int hd = w.intField("hidden_dims");
        float[] wi = w.block("gru.input_weights");
        float[] wh = w.block("gru.hidden_weights");
        float[] bi = w.block("gru.input_bias");
        float[] bh = w.block("gru.hidden_bias");
        double[] h = new double[hd];
        for (int item : items) {
            double[] e = new double[d];
            for (int c = 0; c < d; c++) {
                e[c] = w.items()[item][c];
            }
            double[] gi = affine(wi, bi, e, 3 * hd, d);
            double[] gh = affine(wh, bh, h, 3 * hd, hd);
            double[] next = new double[hd];
            for (int k = 0; k < hd; k++) {
                double r = sigmoid(gi[k] + gh[k]);
                double z = sigmoid(gi[hd + k] + gh[hd + k]);
                double n = Math.tanh(gi[2 * hd + k] + r * gh[2 * hd + k]);
                next[k] = (1 - z) * n + z * h[k];
            }
            h = next;
        }
        return affine(w.block("output.weights"), w.block("output.bias"), h, w.intField("user_dims"), hd);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double[] affine(float[] weights, float[] bias, double[] x, int out, int in) {
        double[] y = new double[out];
        for (int r = 0; r < out; r++) {
            double s = bias[r];
            for (int c = 0; c < in; c++) {
                s += (double) weights[r * in + c] * x[c];
            }
            y[r] = s;
        }
        return y;
    }

    private static double[] ln(double[] y, float[] gain, float[] bias, double eps) {
        int d = y.length;
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= d;
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        var /= d;
        double[] out = new double[d];
        for (int c = 0; c < d; c++) {
            out[c] = (y[c] - mean) / Math.sqrt(var + eps) * gain[c] + bias[c];
        }
        return out;
    }
}
