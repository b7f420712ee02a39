package org.recommender.tools.train.sequence;

import org.recommender.tools.train.DoubleGemm;

import java.util.Arrays;
import java.util.Map;

/**
 * GRU4Rec's forward and hand-written backward pass (backpropagation through time) over one left-padded window, in
 * double precision, for exactly the {@code gru4rec} encoder of {@code docs/model-format.md}: the item vectors run
 * through a one-layer GRU with PyTorch's gate layout and split biases,
 *
 * <pre>
 * r_t = σ(W_ir e_t + b_ir + W_hr h_(t−1) + b_hr)
 * z_t = σ(W_iz e_t + b_iz + W_hz h_(t−1) + b_hz)
 * n_t = tanh(W_in e_t + b_in + r_t ⊙ (W_hn h_(t−1) + b_hn))
 * h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_(t−1)                h_0 = 0 before the first real item
 * u_t = W_o h_t + b_o
 * </pre>
 *
 * and the user vector after the newest item is {@code u} of the last position. Training adds inverted dropout (on
 * the item vectors going in and on each state going to the output layer, never on the recurrence; masks given by
 * the caller) and the next-item loss at every real position ({@link TiedSoftmax}).
 *
 * <p>Only a window's real positions are computed: the state starts at zero at the first real item, as the format's
 * {@code h_0}, so padding never matters and costs nothing. The input part of every gate ({@code W_i e_t + b_i}) is
 * one matrix product over the window, and so are the weight gradients; only the recurrence runs step by step.
 *
 * <p>Every activation and temporary lives in scratch sized once for a full window (M positions) and reused window
 * after window: a pass allocates nothing per window, and so serves one thread at a time ({@link SequencePass}).
 */
final class Gru4RecPass implements SequencePass<Gru4RecPass.Masks> {
    private final int items;
    private final int d;
    private final int h;
    private final int maxLength;
    private final int itemsAt;
    private final int inW;
    private final int hidW;
    private final int inB;
    private final int hidB;
    private final int outW;
    private final int outB;
    // scratch: one window's forward, what the backward pass reads; n ≤ M rows of each are in use
    /** The item at each real position. */
    private final int[] inputs;
    /** The item vectors going in, after dropout, {@code n × d}. */
    private final double[] embedded;
    /** W_i e_t + b_i per position, {@code n × 3H}. */
    private final double[] fromInput;
    /** W_h h_(t−1) + b_h of the current position, {@code 3H}. */
    private final double[] fromState;
    /** {@code n + 1} states: row 0 is h_0 = 0 (never written), row t + 1 the state after position t. */
    private final double[] states;
    private final double[] reset;
    private final double[] update;
    private final double[] candidate;
    /** W_hn h_(t−1) + b_hn per position, {@code n × H}: what the reset gate multiplies. */
    private final double[] hiddenCandidate;
    /** The states going to the output layer (rows 1 … n of {@link #states}), after dropout, {@code n × H}. */
    private final double[] out;
    /** The user vector at each position, {@code n × d}. */
    private final double[] user;
    // the backward pass's temporaries: gradients of the activations above, each overwritten or zeroed before use
    private final double[] dUser;
    private final double[] dStates;
    private final double[] dInput;
    private final double[] dState;
    private final double[] dh;
    private final double[] dPrevious;
    private final double[] dEmbedded;
    /** Affine.backward's transpose of dy: n × max(3H, d). */
    private final double[] dyT;
    private final TiedSoftmax softmax;

    /**
     * Inverted-dropout factors of one window's real positions (0 or 1 / (1 − p)), row-major per position.
     *
     * @param input on the item vectors, {@code n × d}
     * @param output on the states going to the output layer, {@code n × H}
     */
    record Masks(double[] input, double[] output) {}

    /** @param layout the shapes and where each block lies in the flat parameters; sizes the scratch for M positions */
    Gru4RecPass(Gru4RecLayout layout) {
        this.items = layout.items();
        this.d = layout.dims();
        this.h = layout.hidden();
        this.maxLength = layout.maxLength();
        Map<String, int[]> at = layout.blocksByName();
        this.itemsAt = at.get(FlatBlocks.ITEMS)[0];
        this.inW = at.get(Gru4RecLayout.INPUT_WEIGHTS)[0];
        this.hidW = at.get(Gru4RecLayout.HIDDEN_WEIGHTS)[0];
        this.inB = at.get(Gru4RecLayout.INPUT_BIAS)[0];
        this.hidB = at.get(Gru4RecLayout.HIDDEN_BIAS)[0];
        this.outW = at.get(Gru4RecLayout.OUTPUT_WEIGHTS)[0];
        this.outB = at.get(Gru4RecLayout.OUTPUT_BIAS)[0];
        int m = maxLength;
        this.inputs = new int[m];
        this.embedded = new double[m * d];
        this.fromInput = new double[m * 3 * h];
        this.fromState = new double[3 * h];
        this.states = new double[(m + 1) * h];
        this.reset = new double[m * h];
        this.update = new double[m * h];
        this.candidate = new double[m * h];
        this.hiddenCandidate = new double[m * h];
        this.out = new double[m * h];
        this.user = new double[m * d];
        this.dUser = new double[m * d];
        this.dStates = new double[m * h];
        this.dInput = new double[m * 3 * h];
        this.dState = new double[m * 3 * h];
        this.dh = new double[h];
        this.dPrevious = new double[h];
        this.dEmbedded = new double[m * d];
        this.dyT = new double[m * Math.max(3 * h, d)];
        this.softmax = new TiedSoftmax(items, d, m);
    }

    /** Transposes the item table and the three weight matrices; the biases are not written. */
    @Override
    public void transposed(double[] p, double[] pT) {
        DoubleGemm.transpose(p, itemsAt, items, d, pT, itemsAt);
        DoubleGemm.transpose(p, inW, 3 * h, d, pT, inW);
        DoubleGemm.transpose(p, hidW, 3 * h, h, pT, hidW);
        DoubleGemm.transpose(p, outW, d, h, pT, outW);
    }

    /**
     * Runs the window's real positions forward into the scratch (the previous window's activations are overwritten).
     *
     * @param masks dropout factors of the window's real positions, or null for none
     * @return n, the window's real positions
     */
    private int forward(double[] p, double[] pT, int[] window, int base, int pad, Masks masks) {
        int n = maxLength - pad;
        for (int t = 0; t < n; t++) {
            int item = window[base + pad + t];
            inputs[t] = item;
            System.arraycopy(p, itemsAt + item * d, embedded, t * d, d);
        }
        if (masks != null) {
            multiply(embedded, masks.input);
        }
        Affine.forward(p, pT, inW, inB, embedded, fromInput, n, d, 3 * h);
        for (int t = 0; t < n; t++) {
            System.arraycopy(p, hidB, fromState, 0, 3 * h);
            if (t > 0) { // h_0 = 0 adds nothing
                DoubleGemm.multiplyAdd(states, t * h, 1, h, pT, hidW, 3 * h, fromState, 0);
            }
            int g = t * 3 * h;
            int row = t * h;
            for (int k = 0; k < h; k++) {
                double r = sigmoid(fromInput[g + k] + fromState[k]);
                double z = sigmoid(fromInput[g + h + k] + fromState[h + k]);
                double c = Math.tanh(fromInput[g + 2 * h + k] + r * fromState[2 * h + k]);
                reset[row + k] = r;
                update[row + k] = z;
                candidate[row + k] = c;
                hiddenCandidate[row + k] = fromState[2 * h + k];
                states[row + h + k] = (1 - z) * c + z * states[row + k];
            }
        }
        return n;
    }

    @Override
    public void encode(double[] p, double[] pT, int[] window, int base, int pad, double[] user) {
        int n = forward(p, pT, window, base, pad, null);
        System.arraycopy(states, n * h, out, 0, h);
        Affine.forward(p, pT, outW, outB, out, user, 1, h, d);
    }

    @Override
    public double lossAndGradient(double[] p, double[] pT, Batch batch, int row, Masks masks, double[] grad) {
        int base = row * maxLength;
        int pad = batch.padding()[row];
        int n = forward(p, pT, batch.inputs(), base, pad, masks);
        // the output layer reads every state after a real item (rows 1 … n), dropped out in training
        System.arraycopy(states, h, out, 0, n * h);
        if (masks != null) {
            multiply(out, masks.output);
        }
        Affine.forward(p, pT, outW, outB, out, user, n, h, d);
        Arrays.fill(dUser, 0, n * d, 0);
        double loss = softmax.lossAndGradient(p, pT, itemsAt, user, batch, base + pad, n, dUser, grad);
        Arrays.fill(dStates, 0, n * h, 0); // the loss's gradient of each state through the output layer
        Affine.backward(p, outW, outB, out, dUser, dStates, grad, n, h, d, dyT);
        if (masks != null) {
            multiply(dStates, masks.output);
        }
        // backpropagation through time: dInput is the gradient of W_i e_t + b_i, dState that of W_h h_(t−1) + b_h
        double[] dh = this.dh;
        double[] dPrevious = this.dPrevious;
        Arrays.fill(dh, 0);
        for (int t = n - 1; t >= 0; t--) {
            int s = t * h;
            int g = t * 3 * h;
            for (int k = 0; k < h; k++) {
                double dht = dStates[s + k] + dh[k];
                double r = reset[s + k];
                double z = update[s + k];
                double c = candidate[s + k];
                double previous = states[s + k];
                double dc = dht * (1 - z) * (1 - c * c);
                double dz = dht * (previous - c) * z * (1 - z);
                double dr = dc * hiddenCandidate[s + k] * r * (1 - r);
                dInput[g + k] = dr;
                dInput[g + h + k] = dz;
                dInput[g + 2 * h + k] = dc;
                dState[g + k] = dr;
                dState[g + h + k] = dz;
                dState[g + 2 * h + k] = dc * r;
                dPrevious[k] = dht * z;
            }
            if (t > 0) { // h_0 is no parameter: nothing flows further back
                DoubleGemm.multiplyAdd(dState, g, 1, 3 * h, p, hidW, h, dPrevious, 0);
            }
            double[] swap = dh;
            dh = dPrevious;
            dPrevious = swap;
        }
        // weight gradients over the whole window: the states before each position (rows 0 … n − 1) feed W_h
        Affine.backward(p, hidW, hidB, states, dState, null, grad, n, h, 3 * h, dyT);
        Arrays.fill(dEmbedded, 0, n * d, 0);
        Affine.backward(p, inW, inB, embedded, dInput, dEmbedded, grad, n, d, 3 * h, dyT);
        if (masks != null) {
            multiply(dEmbedded, masks.input);
        }
        for (int t = 0; t < n; t++) {
            int e = itemsAt + inputs[t] * d;
            for (int c = 0; c < d; c++) {
                grad[e + c] += dEmbedded[t * d + c];
            }
        }
        return loss;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Multiplies the first {@code mask.length} elements of {@code x} (a window's real positions) by the mask. */
    private static void multiply(double[] x, double[] mask) {
        for (int i = 0; i < mask.length; i++) {
            x[i] *= mask[i];
        }
    }
}
