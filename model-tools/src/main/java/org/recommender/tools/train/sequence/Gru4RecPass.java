package org.recommender.tools.train.sequence;

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
 * Stateless and immutable: the parameters and gradient buffer are passed in, so threads share one pass.
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

    /**
     * Inverted-dropout factors of one window's real positions (0 or 1 / (1 − p)), row-major per position.
     *
     * @param input on the item vectors, {@code n × d}
     * @param output on the states going to the output layer, {@code n × H}
     */
    record Masks(double[] input, double[] output) {}

    /** @param layout the shapes and where each block lies in the flat parameters */
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
    }

    /** Transposes the item table and the three weight matrices; the biases are not written. */
    @Override
    public void transposed(double[] p, double[] out) {
        DoubleGemm.transpose(p, itemsAt, items, d, out, itemsAt);
        DoubleGemm.transpose(p, inW, 3 * h, d, out, inW);
        DoubleGemm.transpose(p, hidW, 3 * h, h, out, hidW);
        DoubleGemm.transpose(p, outW, d, h, out, outW);
    }

    /** One window's recurrence: what the backward pass reads. */
    private final class Forward {
        final int n;
        final int[] inputs;
        /** The item vectors going in, after dropout, {@code n × d}. */
        final double[] embedded;
        /** {@code n + 1} states: row 0 is h_0 = 0, row t + 1 the state after position t. */
        final double[] states;
        final double[] reset;
        final double[] update;
        final double[] candidate;
        /** W_hn h_(t−1) + b_hn per position, {@code n × H}: what the reset gate multiplies. */
        final double[] hiddenCandidate;

        Forward(double[] p, double[] pT, int[] window, int base, int pad, Masks masks) {
            this.n = maxLength - pad;
            this.inputs = new int[n];
            this.embedded = new double[n * d];
            for (int t = 0; t < n; t++) {
                int item = window[base + pad + t];
                inputs[t] = item;
                System.arraycopy(p, itemsAt + item * d, embedded, t * d, d);
            }
            if (masks != null) {
                multiply(embedded, masks.input);
            }
            double[] fromInput = new double[n * 3 * h];
            Affine.forward(p, pT, inW, inB, embedded, fromInput, n, d, 3 * h);
            states = new double[(n + 1) * h];
            reset = new double[n * h];
            update = new double[n * h];
            candidate = new double[n * h];
            hiddenCandidate = new double[n * h];
            double[] fromState = new double[3 * h];
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
        }
    }

    @Override
    public void encode(double[] p, double[] pT, int[] window, int base, int pad, double[] user) {
        Forward fw = new Forward(p, pT, window, base, pad, null);
        double[] last = new double[h];
        System.arraycopy(fw.states, fw.n * h, last, 0, h);
        Affine.forward(p, pT, outW, outB, last, user, 1, h, d);
    }

    @Override
    public double lossAndGradient(double[] p, double[] pT, Batch batch, int row, Masks masks, double[] grad) {
        int base = row * maxLength;
        int pad = batch.padding()[row];
        Forward fw = new Forward(p, pT, batch.inputs(), base, pad, masks);
        int n = fw.n;
        // the output layer reads every state after a real item (rows 1 … n), dropped out in training
        double[] out = new double[n * h];
        System.arraycopy(fw.states, h, out, 0, n * h);
        if (masks != null) {
            multiply(out, masks.output);
        }
        double[] user = new double[n * d];
        Affine.forward(p, pT, outW, outB, out, user, n, h, d);
        double[] dUser = new double[n * d];
        double loss = TiedSoftmax.lossAndGradient(p, pT, itemsAt, items, d, user, batch, base + pad, n, dUser, grad);
        double[] dStates = new double[n * h]; // the loss's gradient of each state through the output layer
        Affine.backward(p, outW, outB, out, dUser, dStates, grad, n, h, d);
        if (masks != null) {
            multiply(dStates, masks.output);
        }
        // backpropagation through time: dInput is the gradient of W_i e_t + b_i, dState that of W_h h_(t−1) + b_h
        double[] dInput = new double[n * 3 * h];
        double[] dState = new double[n * 3 * h];
        double[] dh = new double[h];
        double[] dPrevious = new double[h];
        for (int t = n - 1; t >= 0; t--) {
            int s = t * h;
            int g = t * 3 * h;
            for (int k = 0; k < h; k++) {
                double dht = dStates[s + k] + dh[k];
                double r = fw.reset[s + k];
                double z = fw.update[s + k];
                double c = fw.candidate[s + k];
                double previous = fw.states[s + k];
                double dc = dht * (1 - z) * (1 - c * c);
                double dz = dht * (previous - c) * z * (1 - z);
                double dr = dc * fw.hiddenCandidate[s + k] * r * (1 - r);
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
        Affine.backward(p, hidW, hidB, fw.states, dState, null, grad, n, h, 3 * h);
        double[] dEmbedded = new double[n * d];
        Affine.backward(p, inW, inB, fw.embedded, dInput, dEmbedded, grad, n, d, 3 * h);
        if (masks != null) {
            multiply(dEmbedded, masks.input);
        }
        for (int t = 0; t < n; t++) {
            int e = itemsAt + fw.inputs[t] * d;
            for (int c = 0; c < d; c++) {
                grad[e + c] += dEmbedded[t * d + c];
            }
        }
        return loss;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static void multiply(double[] x, double[] mask) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= mask[i];
        }
    }
}
