package org.recommender.core.encoder;

import java.util.Map;

/**
 * The encoder formulas of {@code docs/model-format.md} ("User encoders") evaluated in double precision, written
 * straight from the text and independently of the production encoders: every position through every block (no
 * shortcut for the newest position), plain loops instead of SIMD rows, weights read from the block-name map they
 * were built from. What {@link EncoderAgreementTest} holds the encoders to.
 */
final class ReferenceEncoder {
    private ReferenceEncoder() {}

    static double[] sasrec(Map<String, float[]> w, int d, int maxLength, int heads, int numBlocks, int ffn, double scale, double eps, float[][] history) {
        int n = history.length;
        double[][] x = new double[n][d];
        float[] positions = w.get("positions");
        for (int t = 0; t < n; t++) {
            int row = maxLength - n + t;
            for (int c = 0; c < d; c++) {
                x[t][c] = scale * history[t][c] + positions[row * d + c];
            }
        }
        int width = d / heads;
        for (int b = 0; b < numBlocks; b++) {
            String p = "blocks[" + b + "].";
            double[][] q = new double[n][];
            double[][] k = new double[n][];
            double[][] v = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] a = layerNorm(x[t], w.get(p + "attention_norm.gain"), w.get(p + "attention_norm.bias"), eps);
                double[] qkv = affine(w.get(p + "attention.in_weights"), w.get(p + "attention.in_bias"), a, 3 * d);
                q[t] = java.util.Arrays.copyOfRange(qkv, 0, d);
                k[t] = java.util.Arrays.copyOfRange(qkv, d, 2 * d);
                v[t] = java.util.Arrays.copyOfRange(qkv, 2 * d, 3 * d);
            }
            double[][] next = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] o = new double[d];
                for (int h = 0; h < heads; h++) {
                    double[] logits = new double[t + 1];
                    for (int j = 0; j <= t; j++) {
                        for (int c = h * width; c < (h + 1) * width; c++) {
                            logits[j] += q[t][c] * k[j][c];
                        }
                        logits[j] /= Math.sqrt(width);
                    }
                    double[] soft = softmax(logits);
                    for (int j = 0; j <= t; j++) {
                        for (int c = h * width; c < (h + 1) * width; c++) {
                            o[c] += soft[j] * v[j][c];
                        }
                    }
                }
                double[] attended = affine(w.get(p + "attention.out_weights"), w.get(p + "attention.out_bias"), o, d);
                double[] y = add(x[t], attended);
                double[] f = layerNorm(y, w.get(p + "ffn_norm.gain"), w.get(p + "ffn_norm.bias"), eps);
                double[] inner = affine(w.get(p + "ffn.in_weights"), w.get(p + "ffn.in_bias"), f, ffn);
                for (int i = 0; i < ffn; i++) {
                    inner[i] = Math.max(0, inner[i]);
                }
                next[t] = add(y, affine(w.get(p + "ffn.out_weights"), w.get(p + "ffn.out_bias"), inner, d));
            }
            x = next;
        }
        return layerNorm(x[n - 1], w.get("final_norm.gain"), w.get("final_norm.bias"), eps);
    }

    static double[] gru4rec(Map<String, float[]> w, int itemDims, int hidden, int userDims, float[][] history) {
        double[] h = new double[hidden];
        for (float[] e : history) {
            double[] gi = affine(w.get("gru.input_weights"), w.get("gru.input_bias"), toDouble(e), 3 * hidden);
            double[] gh = affine(w.get("gru.hidden_weights"), w.get("gru.hidden_bias"), h, 3 * hidden);
            double[] next = new double[hidden];
            for (int i = 0; i < hidden; i++) {
                double r = 1 / (1 + Math.exp(-(gi[i] + gh[i])));
                double z = 1 / (1 + Math.exp(-(gi[hidden + i] + gh[hidden + i])));
                double cand = Math.tanh(gi[2 * hidden + i] + r * gh[2 * hidden + i]);
                next[i] = (1 - z) * cand + z * h[i];
            }
            h = next;
        }
        return affine(w.get("output.weights"), w.get("output.bias"), h, userDims);
    }

    static double[] multdae(float[] bias, float[][] distinct) {
        double[] u = new double[bias.length];
        for (int c = 0; c < bias.length; c++) {
            double sum = 0;
            for (float[] e : distinct) {
                sum += e[c];
            }
            u[c] = Math.tanh(sum / Math.sqrt(distinct.length) + bias[c]);
        }
        return u;
    }

    private static double[] affine(float[] weights, float[] bias, double[] x, int outputs) {
        double[] out = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            double s = bias[o];
            for (int i = 0; i < x.length; i++) {
                s += (double) weights[o * x.length + i] * x[i];
            }
            out[o] = s;
        }
        return out;
    }

    private static double[] layerNorm(double[] y, float[] gain, float[] bias, double eps) {
        double mean = 0;
        for (double v : y) {
            mean += v / y.length;
        }
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean) / y.length;
        }
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = (y[i] - mean) / Math.sqrt(var + eps) * gain[i] + bias[i];
        }
        return out;
    }

    private static double[] softmax(double[] logits) {
        double max = java.util.Arrays.stream(logits).max().orElseThrow();
        double[] out = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            out[i] = Math.exp(logits[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < logits.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
