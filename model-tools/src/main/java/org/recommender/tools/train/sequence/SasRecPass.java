package org.recommender.tools.train.sequence;

import org.recommender.tools.train.DoubleGemm;

import java.util.Arrays;
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
 * real positions before it), so what padding would hold never matters and costs nothing.
 *
 * <p>Every activation and temporary lives in scratch sized once for a full window (M positions) and reused window
 * after window: a pass allocates nothing per window, and so serves one thread at a time ({@link SequencePass}).
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
    // scratch: one window's forward, what the backward pass reads; n ≤ M rows of each are in use
    /** The item at each real position. */
    private final int[] inputs;
    /** The residual stream, {@code n × d}, updated in place block by block. */
    private final double[] x;
    private final BlockCache[] caches;
    /** The final layer norm's x̂ ({@code n × d}) and 1/σ ({@code n}). */
    private final double[] xhat;
    private final double[] rstd;
    /** The user vector at each position: the final layer norm's output, {@code n × d}. */
    private final double[] user;
    /** What a block's attention or feed-forward layer adds to the residual stream, {@code n × d}. */
    private final double[] delta;
    // the backward pass's temporaries: gradients of the activations above, each overwritten or zeroed before use
    private final double[] dUser;
    /** The residual stream's gradient, {@code n × d}, carried back block by block. */
    private final double[] dx;
    private final double[] dDelta;
    private final double[] dHidden;
    private final double[] dNormed;
    private final double[] dAttended;
    private final double[] dQkv;
    /** One query's attention scores' gradient, {@code n}. */
    private final double[] dScore;
    /** Affine.backward's transpose of dy: n × max(3d, f). */
    private final double[] dyT;
    private final TiedSoftmax softmax;

    /** Inverted-dropout factors of one window's real positions (0 or 1 / (1 − p)), row-major per position. */
    record Masks(double[] input, double[][] attention, double[][] ffnIn, double[][] ffnOut) {}

    /**
     * @param layout the shapes and where each block lies in the flat parameters; sizes the scratch for M positions
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
        int m = maxLength;
        this.inputs = new int[m];
        this.x = new double[m * d];
        this.caches = new BlockCache[blocks];
        for (int b = 0; b < blocks; b++) {
            caches[b] = new BlockCache(m, d, f, heads);
        }
        this.xhat = new double[m * d];
        this.rstd = new double[m];
        this.user = new double[m * d];
        this.delta = new double[m * d];
        this.dUser = new double[m * d];
        this.dx = new double[m * d];
        this.dDelta = new double[m * d];
        this.dHidden = new double[m * f];
        this.dNormed = new double[m * d];
        this.dAttended = new double[m * d];
        this.dQkv = new double[m * 3 * d];
        this.dScore = new double[m];
        this.dyT = new double[m * Math.max(3 * d, f)];
        this.softmax = new TiedSoftmax(items, d, m);
    }

    private static final int LN1_GAIN = 0, LN1_BIAS = 1, IN_W = 2, IN_B = 3, OUT_W = 4, OUT_B = 5, LN2_GAIN = 6, LN2_BIAS = 7, FFN_IN_W = 8,
        FFN_IN_B = 9, FFN_OUT_W = 10, FFN_OUT_B = 11;

    /** What the backward pass reads of one block's forward: scratch for M positions, n ≤ M rows in use. */
    private static final class BlockCache {
        final double[] normed1, xhat1, rstd1, qkv, probabilities, attended, xhat2, rstd2, normed2, inner, hidden;

        BlockCache(int m, int d, int f, int heads) {
            normed1 = new double[m * d];
            xhat1 = new double[m * d];
            rstd1 = new double[m];
            qkv = new double[m * 3 * d];
            probabilities = new double[heads * m * m];
            attended = new double[m * d];
            xhat2 = new double[m * d];
            rstd2 = new double[m];
            normed2 = new double[m * d];
            inner = new double[m * f];
            hidden = new double[m * f];
        }
    }

    /** Transposes the item table and each block's four weight matrices; other blocks are not written. */
    @Override
    public void transposed(double[] p, double[] pT) {
        DoubleGemm.transpose(p, itemsAt, items, d, pT, itemsAt);
        for (int[] o : block) {
            DoubleGemm.transpose(p, o[IN_W], 3 * d, d, pT, o[IN_W]);
            DoubleGemm.transpose(p, o[OUT_W], d, d, pT, o[OUT_W]);
            DoubleGemm.transpose(p, o[FFN_IN_W], f, d, pT, o[FFN_IN_W]);
            DoubleGemm.transpose(p, o[FFN_OUT_W], d, f, pT, o[FFN_OUT_W]);
        }
    }

    /**
     * Runs the window's real positions forward into the scratch (the previous window's activations are overwritten):
     * per block caches, and the final layer norm's x̂, 1/σ and output (the user vector at each position).
     *
     * @param masks dropout factors of the window's real positions, or null for none
     * @return n, the window's real positions
     */
    private int forward(double[] p, double[] pT, int[] window, int base, int pad, Masks masks) {
        int n = maxLength - pad;
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
            block(p, pT, b, masks, n);
        }
        layerNorm(p, finalGain, finalBias, x, xhat, rstd, user, n);
        return n;
    }

    /** Runs block {@code b} on the residual stream {@link #x}, updated in place, filling the block's cache. */
    private void block(double[] p, double[] pT, int b, Masks masks, int n) {
        int[] o = block[b];
        BlockCache c = caches[b];
        layerNorm(p, o[LN1_GAIN], o[LN1_BIAS], x, c.xhat1, c.rstd1, c.normed1, n);
        Affine.forward(p, pT, o[IN_W], o[IN_B], c.normed1, c.qkv, n, d, 3 * d);
        Arrays.fill(c.attended, 0, n * d, 0);
        attend(c.qkv, c.probabilities, c.attended, n);
        Affine.forward(p, pT, o[OUT_W], o[OUT_B], c.attended, delta, n, d, d);
        if (masks != null) {
            multiply(delta, masks.attention[b]);
        }
        add(x, delta, n * d);
        layerNorm(p, o[LN2_GAIN], o[LN2_BIAS], x, c.xhat2, c.rstd2, c.normed2, n);
        Affine.forward(p, pT, o[FFN_IN_W], o[FFN_IN_B], c.normed2, c.inner, n, d, f);
        for (int i = 0; i < n * f; i++) {
            c.hidden[i] = Math.max(0, c.inner[i]) * (masks == null ? 1 : masks.ffnIn[b][i]);
        }
        Affine.forward(p, pT, o[FFN_OUT_W], o[FFN_OUT_B], c.hidden, delta, n, f, d);
        if (masks != null) {
            multiply(delta, masks.ffnOut[b]);
        }
        add(x, delta, n * d);
    }

    @Override
    public void encode(double[] p, double[] pT, int[] window, int base, int pad, double[] user) {
        int n = forward(p, pT, window, base, pad, null);
        System.arraycopy(this.user, (n - 1) * d, user, 0, d);
    }

    @Override
    public double lossAndGradient(double[] p, double[] pT, Batch batch, int row, Masks masks, double[] grad) {
        int base = row * maxLength;
        int pad = batch.padding()[row];
        int n = forward(p, pT, batch.inputs(), base, pad, masks);
        Arrays.fill(dUser, 0, n * d, 0);
        double loss = softmax.lossAndGradient(p, pT, itemsAt, user, batch, base + pad, n, dUser, grad);
        Arrays.fill(dx, 0, n * d, 0);
        layerNormBackward(p, finalGain, finalBias, xhat, rstd, dUser, dx, grad, n);
        for (int b = blocks - 1; b >= 0; b--) {
            blockBackward(p, b, masks, grad, n);
        }
        if (masks != null) {
            multiply(dx, masks.input);
        }
        for (int t = 0; t < n; t++) {
            int e = itemsAt + inputs[t] * d;
            int pos = positionsAt + (pad + t) * d;
            for (int c = 0; c < d; c++) {
                grad[e + c] += inputScale * dx[t * d + c];
                grad[pos + c] += dx[t * d + c];
            }
        }
        return loss;
    }

    /** Block {@code b}'s backward: {@link #dx}, the residual stream's gradient after the block, becomes the one before it. */
    private void blockBackward(double[] p, int b, Masks masks, double[] grad, int n) {
        int[] o = block[b];
        BlockCache c = caches[b];
        // feed-forward: x += drop(W₂ · drop(relu(W₁ · LN₂(x) + b₁)) + b₂)
        System.arraycopy(dx, 0, dDelta, 0, n * d);
        if (masks != null) {
            multiply(dDelta, masks.ffnOut[b]);
        }
        Arrays.fill(dHidden, 0, n * f, 0);
        Affine.backward(p, o[FFN_OUT_W], o[FFN_OUT_B], c.hidden, dDelta, dHidden, grad, n, f, d, dyT);
        for (int i = 0; i < n * f; i++) {
            dHidden[i] *= c.inner[i] > 0 ? (masks == null ? 1 : masks.ffnIn[b][i]) : 0;
        }
        Arrays.fill(dNormed, 0, n * d, 0);
        Affine.backward(p, o[FFN_IN_W], o[FFN_IN_B], c.normed2, dHidden, dNormed, grad, n, d, f, dyT);
        layerNormBackward(p, o[LN2_GAIN], o[LN2_BIAS], c.xhat2, c.rstd2, dNormed, dx, grad, n);
        // attention: x += drop(W_o · attention(W_in · LN₁(x) + b_in) + b_o)
        System.arraycopy(dx, 0, dDelta, 0, n * d);
        if (masks != null) {
            multiply(dDelta, masks.attention[b]);
        }
        Arrays.fill(dAttended, 0, n * d, 0);
        Affine.backward(p, o[OUT_W], o[OUT_B], c.attended, dDelta, dAttended, grad, n, d, d, dyT);
        Arrays.fill(dQkv, 0, n * 3 * d, 0);
        attendBackward(c.qkv, c.probabilities, dAttended, dQkv, n);
        Arrays.fill(dNormed, 0, n * d, 0);
        Affine.backward(p, o[IN_W], o[IN_B], c.normed1, dQkv, dNormed, grad, n, d, 3 * d, dyT);
        layerNormBackward(p, o[LN1_GAIN], o[LN1_BIAS], c.xhat1, c.rstd1, dNormed, dx, grad, n);
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

    /** Multiplies the first {@code mask.length} elements of {@code x} (a window's real positions) by the mask. */
    private static void multiply(double[] x, double[] mask) {
        for (int i = 0; i < mask.length; i++) {
            x[i] *= mask[i];
        }
    }

    /** Adds the first {@code length} elements of {@code delta} into {@code x}. */
    private static void add(double[] x, double[] delta, int length) {
        for (int i = 0; i < length; i++) {
            x[i] += delta[i];
        }
    }
}
