package org.recommender.tools.train.sequence;

import java.util.Map;

/**
 * SASRec's forward and hand-written backward pass over one left-padded window, in double precision, for exactly the
 * {@code sasrec} encoder of {@code docs/model-format.md}: item vector times {@code input_scale} plus the position row
 * of its slot (the newest item at row M − 1), pre-norm blocks of causal multi-head self-attention and a ReLU
 * feed-forward layer, each added to the residual stream, and a final layer norm. Training adds inverted dropout (on
 * the embedded input, the attention output and both feed-forward layers, masks given by the caller) and the
 * next-item loss: the cross-entropy of a full softmax over every item, the item table tied as output embedding,
 * weighted per position.
 *
 * <p>Only a window's real positions are computed: padding is never attended (a position attends to itself and the
 * real positions before it), so what padding would hold never matters and costs nothing. Stateless and immutable:
 * the parameters and gradient buffer are passed in, so threads share one pass.
 */
final class SasRecPass implements SequencePass<SasRecPass.Masks> {
    private final int items;
    private final int d;
    private final int maxLength;
    private final int heads;
    private final int blocks;
    private final int f;
    private final double inputScale;
    private final double epsilon;
    private final int itemsAt;
    private final int positionsAt;
    private final int finalGain;
    private final int finalBias;
    /** Per block, the offsets of its twelve weight blocks in bundle order. */
    private final int[][] block;

    /** Inverted-dropout factors of one window's real positions (0 or 1 / (1 − p)), row-major per position. */
    record Masks(double[] input, double[][] attention, double[][] ffnIn, double[][] ffnOut) {}

    /**
     * @param layout the shapes and where each block lies in the flat parameters
     * @param inputScale multiplies item vectors before the position row is added
     * @param epsilon the layer norms' epsilon, inside the square root
     */
    SasRecPass(SasRecLayout layout, double inputScale, double epsilon) {
        this.items = layout.items();
        this.d = layout.dims();
        this.maxLength = layout.maxLength();
        this.heads = layout.heads();
        this.blocks = layout.blocks();
        this.f = layout.ffnDims();
        this.inputScale = inputScale;
        this.epsilon = epsilon;
        Map<String, int[]> at = layout.blocksByName();
        this.itemsAt = at.get(FlatBlocks.ITEMS)[0];
        this.positionsAt = at.get("positions")[0];
        this.finalGain = at.get("final_norm.gain")[0];
        this.finalBias = at.get("final_norm.bias")[0];
        String[] names = { "attention_norm.gain", "attention_norm.bias", "attention.in_weights", "attention.in_bias", "attention.out_weights",
            "attention.out_bias", "ffn_norm.gain", "ffn_norm.bias", "ffn.in_weights", "ffn.in_bias", "ffn.out_weights", "ffn.out_bias" };
        this.block = new int[blocks][names.length];
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < names.length; k++) {
                block[b][k] = at.get(SasRecLayout.block(b) + names[k])[0];
            }
        }
    }

    private static final int LN1_GAIN = 0, LN1_BIAS = 1, IN_W = 2, IN_B = 3, OUT_W = 4, OUT_B = 5, LN2_GAIN = 6, LN2_BIAS = 7, FFN_IN_W = 8,
        FFN_IN_B = 9, FFN_OUT_W = 10, FFN_OUT_B = 11;

    /** What the backward pass reads of one block's forward. */
    private static final class BlockCache {
        double[] normed1, xhat1, rstd1, qkv, probabilities, attended, xhat2, rstd2, normed2, inner, hidden;
    }

    /** Transposes the item table and each block's four weight matrices; other blocks are not written. */
    @Override
    public void transposed(double[] p, double[] out) {
        DoubleGemm.transpose(p, itemsAt, items, d, out, itemsAt);
        for (int[] o : block) {
            DoubleGemm.transpose(p, o[IN_W], 3 * d, d, out, o[IN_W]);
            DoubleGemm.transpose(p, o[OUT_W], d, d, out, o[OUT_W]);
            DoubleGemm.transpose(p, o[FFN_IN_W], f, d, out, o[FFN_IN_W]);
            DoubleGemm.transpose(p, o[FFN_OUT_W], d, f, out, o[FFN_OUT_W]);
        }
    }

    /** One window's forward: per block caches, and the final layer norm's input and output. */
    private final class Forward {
        final int n;
        final int pad;
        final int[] inputs;
        final BlockCache[] caches = new BlockCache[blocks];
        final double[] xhat;
        final double[] rstd;
        final double[] user;

        Forward(double[] p, double[] pT, int[] window, int base, int pad, Masks masks) {
            this.pad = pad;
            this.n = maxLength - pad;
            this.inputs = new int[n];
            double[] x = new double[n * d];
            for (int t = 0; t < n; t++) {
                int item = window[base + pad + t];
                inputs[t] = item;
                int e = itemsAt + item * d;
                int pos = positionsAt + (pad + t) * d;
                for (int c = 0; c < d; c++) {
                    x[t * d + c] = inputScale * p[e + c] + p[pos + c];
                }
            }
            if (masks != null) {
                multiply(x, masks.input);
            }
            for (int b = 0; b < blocks; b++) {
                caches[b] = block(p, pT, b, x, masks);
            }
            xhat = new double[n * d];
            rstd = new double[n];
            user = new double[n * d];
            layerNorm(p, finalGain, finalBias, x, xhat, rstd, user, n);
        }

        /** Runs block {@code b} on the residual stream {@code x}, updated in place. */
        private BlockCache block(double[] p, double[] pT, int b, double[] x, Masks masks) {
            int[] o = block[b];
            BlockCache c = new BlockCache();
            c.normed1 = new double[n * d];
            c.xhat1 = new double[n * d];
            c.rstd1 = new double[n];
            layerNorm(p, o[LN1_GAIN], o[LN1_BIAS], x, c.xhat1, c.rstd1, c.normed1, n);
            c.qkv = new double[n * 3 * d];
            Affine.forward(p, pT, o[IN_W], o[IN_B], c.normed1, c.qkv, n, d, 3 * d);
            c.probabilities = new double[heads * n * n];
            c.attended = new double[n * d];
            attend(c.qkv, c.probabilities, c.attended, n);
            double[] projected = new double[n * d];
            Affine.forward(p, pT, o[OUT_W], o[OUT_B], c.attended, projected, n, d, d);
            if (masks != null) {
                multiply(projected, masks.attention[b]);
            }
            add(x, projected);
            c.normed2 = new double[n * d];
            c.xhat2 = new double[n * d];
            c.rstd2 = new double[n];
            layerNorm(p, o[LN2_GAIN], o[LN2_BIAS], x, c.xhat2, c.rstd2, c.normed2, n);
            c.inner = new double[n * f];
            Affine.forward(p, pT, o[FFN_IN_W], o[FFN_IN_B], c.normed2, c.inner, n, d, f);
            c.hidden = new double[n * f];
            for (int i = 0; i < c.hidden.length; i++) {
                c.hidden[i] = Math.max(0, c.inner[i]) * (masks == null ? 1 : masks.ffnIn[b][i]);
            }
            double[] out = new double[n * d];
            Affine.forward(p, pT, o[FFN_OUT_W], o[FFN_OUT_B], c.hidden, out, n, f, d);
            if (masks != null) {
                multiply(out, masks.ffnOut[b]);
            }
            add(x, out);
            return c;
        }
    }

    @Override
    public void encode(double[] p, double[] pT, int[] window, int base, int pad, double[] user) {
        Forward fw = new Forward(p, pT, window, base, pad, null);
        System.arraycopy(fw.user, (fw.n - 1) * d, user, 0, d);
    }

    @Override
    public double lossAndGradient(double[] p, double[] pT, Batch batch, int row, Masks masks, double[] grad) {
        int base = row * maxLength;
        int pad = batch.padding()[row];
        Forward fw = new Forward(p, pT, batch.inputs(), base, pad, masks);
        int n = fw.n;
        double[] dUser = new double[n * d];
        double loss = TiedSoftmax.lossAndGradient(p, pT, itemsAt, items, d, fw.user, batch, base + pad, n, dUser, grad);
        double[] dx = new double[n * d];
        layerNormBackward(p, finalGain, finalBias, fw.xhat, fw.rstd, dUser, dx, grad, n);
        for (int b = blocks - 1; b >= 0; b--) {
            blockBackward(p, b, fw.caches[b], masks, dx, grad, n);
        }
        if (masks != null) {
            multiply(dx, masks.input);
        }
        for (int t = 0; t < n; t++) {
            int e = itemsAt + fw.inputs[t] * d;
            int pos = positionsAt + (pad + t) * d;
            for (int c = 0; c < d; c++) {
                grad[e + c] += inputScale * dx[t * d + c];
                grad[pos + c] += dx[t * d + c];
            }
        }
        return loss;
    }

    /** Block {@code b}'s backward: {@code dx}, the residual stream's gradient after the block, becomes the one before it. */
    private void blockBackward(double[] p, int b, BlockCache c, Masks masks, double[] dx, double[] grad, int n) {
        int[] o = block[b];
        // feed-forward: x += drop(W₂ · drop(relu(W₁ · LN₂(x) + b₁)) + b₂)
        double[] dOut = dx.clone();
        if (masks != null) {
            multiply(dOut, masks.ffnOut[b]);
        }
        double[] dHidden = new double[n * f];
        Affine.backward(p, o[FFN_OUT_W], o[FFN_OUT_B], c.hidden, dOut, dHidden, grad, n, f, d);
        for (int i = 0; i < dHidden.length; i++) {
            dHidden[i] *= c.inner[i] > 0 ? (masks == null ? 1 : masks.ffnIn[b][i]) : 0;
        }
        double[] dNormed = new double[n * d];
        Affine.backward(p, o[FFN_IN_W], o[FFN_IN_B], c.normed2, dHidden, dNormed, grad, n, d, f);
        layerNormBackward(p, o[LN2_GAIN], o[LN2_BIAS], c.xhat2, c.rstd2, dNormed, dx, grad, n);
        // attention: x += drop(W_o · attention(W_in · LN₁(x) + b_in) + b_o)
        double[] dProjected = dx.clone();
        if (masks != null) {
            multiply(dProjected, masks.attention[b]);
        }
        double[] dAttended = new double[n * d];
        Affine.backward(p, o[OUT_W], o[OUT_B], c.attended, dProjected, dAttended, grad, n, d, d);
        double[] dQkv = new double[n * 3 * d];
        attendBackward(c.qkv, c.probabilities, dAttended, dQkv, n);
        double[] dNormed1 = new double[n * d];
        Affine.backward(p, o[IN_W], o[IN_B], c.normed1, dQkv, dNormed1, grad, n, d, 3 * d);
        layerNormBackward(p, o[LN1_GAIN], o[LN1_BIAS], c.xhat1, c.rstd1, dNormed1, dx, grad, n);
    }

    /** Causal multi-head attention: head h reads dims h·d/H … (h+1)·d/H − 1 of q, k and v; position t keys 0 … t. */
    private void attend(double[] qkv, double[] probabilities, double[] out, int n) {
        int width = d / heads;
        double scale = 1 / Math.sqrt(width);
        int stride = 3 * d;
        for (int h = 0; h < heads; h++) {
            int q0 = h * width;
            int k0 = d + q0;
            int v0 = 2 * d + q0;
            for (int t = 0; t < n; t++) {
                int a = (h * n + t) * n;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= t; j++) {
                    double s = dot(qkv, t * stride + q0, qkv, j * stride + k0, width) * scale;
                    probabilities[a + j] = s;
                    max = Math.max(max, s);
                }
                double total = 0;
                for (int j = 0; j <= t; j++) {
                    probabilities[a + j] = Math.exp(probabilities[a + j] - max);
                    total += probabilities[a + j];
                }
                for (int j = 0; j <= t; j++) {
                    double w = probabilities[a + j] / total;
                    probabilities[a + j] = w;
                    for (int c = 0; c < width; c++) {
                        out[t * d + q0 + c] += w * qkv[j * stride + v0 + c];
                    }
                }
            }
        }
    }

    private void attendBackward(double[] qkv, double[] probabilities, double[] dOut, double[] dQkv, int n) {
        int width = d / heads;
        double scale = 1 / Math.sqrt(width);
        int stride = 3 * d;
        double[] dScore = new double[n];
        for (int h = 0; h < heads; h++) {
            int q0 = h * width;
            int k0 = d + q0;
            int v0 = 2 * d + q0;
            for (int t = 0; t < n; t++) {
                int a = (h * n + t) * n;
                double weighted = 0;
                for (int j = 0; j <= t; j++) {
                    double dp = dot(dOut, t * d + q0, qkv, j * stride + v0, width);
                    dScore[j] = dp;
                    weighted += probabilities[a + j] * dp;
                    for (int c = 0; c < width; c++) {
                        dQkv[j * stride + v0 + c] += probabilities[a + j] * dOut[t * d + q0 + c];
                    }
                }
                for (int j = 0; j <= t; j++) {
                    double ds = probabilities[a + j] * (dScore[j] - weighted) * scale;
                    for (int c = 0; c < width; c++) {
                        dQkv[t * stride + q0 + c] += ds * qkv[j * stride + k0 + c];
                        dQkv[j * stride + k0 + c] += ds * qkv[t * stride + q0 + c];
                    }
                }
            }
        }
    }

    /** y = (x − mean) / sqrt(var + ε) ⊙ gain + bias per row, variance with divisor d; keeps x̂ and 1/sqrt(var + ε). */
    private void layerNorm(double[] p, int gain, int bias, double[] x, double[] xhat, double[] rstd, double[] y, int n) {
        for (int t = 0; t < n; t++) {
            int r = t * d;
            double mean = 0;
            for (int c = 0; c < d; c++) {
                mean += x[r + c];
            }
            mean /= d;
            double variance = 0;
            for (int c = 0; c < d; c++) {
                double centred = x[r + c] - mean;
                variance += centred * centred;
            }
            double s = 1 / Math.sqrt(variance / d + epsilon);
            rstd[t] = s;
            for (int c = 0; c < d; c++) {
                double h = (x[r + c] - mean) * s;
                xhat[r + c] = h;
                y[r + c] = h * p[gain + c] + p[bias + c];
            }
        }
    }

    /** Adds the layer norm's input gradient into {@code dx} and its gain and bias gradients into {@code grad}. */
    private void layerNormBackward(double[] p, int gain, int bias, double[] xhat, double[] rstd, double[] dy, double[] dx, double[] grad, int n) {
        for (int t = 0; t < n; t++) {
            int r = t * d;
            double meanG = 0;
            double meanGx = 0;
            for (int c = 0; c < d; c++) {
                double g = dy[r + c] * p[gain + c];
                grad[gain + c] += dy[r + c] * xhat[r + c];
                grad[bias + c] += dy[r + c];
                meanG += g;
                meanGx += g * xhat[r + c];
            }
            meanG /= d;
            meanGx /= d;
            for (int c = 0; c < d; c++) {
                double g = dy[r + c] * p[gain + c];
                dx[r + c] += rstd[t] * (g - meanG - xhat[r + c] * meanGx);
            }
        }
    }

    /** Σ a[i…i+n) · b[j…j+n), four partial sums in a fixed order: the same on every run. */
    private static double dot(double[] a, int i, double[] b, int j, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += a[i + k] * b[j + k];
            s1 += a[i + k + 1] * b[j + k + 1];
            s2 += a[i + k + 2] * b[j + k + 2];
            s3 += a[i + k + 3] * b[j + k + 3];
        }
        for (; k < n; k++) {
            s0 += a[i + k] * b[j + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void multiply(double[] x, double[] mask) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= mask[i];
        }
    }

    private static void add(double[] x, double[] delta) {
        for (int i = 0; i < x.length; i++) {
            x[i] += delta[i];
        }
    }
}
