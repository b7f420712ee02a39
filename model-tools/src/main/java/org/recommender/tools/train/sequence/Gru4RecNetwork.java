package org.recommender.tools.train.sequence;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * GRU4Rec (Hidasi et al., ICLR 2016) as a SameDiff graph that computes exactly the {@code gru4rec} encoder of the
 * model format: a one-layer GRU with PyTorch's gate layout ({@code n = tanh(W_in e + b_in + r ⊙ (W_hn h + b_hn))}),
 * unrolled over the window, then {@code u = W_o h + b_o}; DL4J has no such layer. Left padding is skipped exactly:
 * a step whose input is padding keeps the hidden state ({@code h_t = m_t·h'_t + (1 − m_t)·h_(t−1)} with m_t = 0), so
 * the state at the first real item is the format's {@code h_0 = 0}. Training: inverted dropout on the embedded input
 * and on the hidden state before the projection, and the next-item cross-entropy over every item (full softmax, the
 * item table tied as the output embedding) at every real position — not the paper's sampled-negative losses, which a
 * catalogue of ML-100K's size does not need.
 */
final class Gru4RecNetwork extends SameDiffNetwork {
    private static final String[] GATES = { "r", "z", "n" };

    private final int items;
    private final int dims;
    private final int hidden;
    private final float dropout;

    /**
     * @param items catalogue size
     * @param dims d, the item and user vector dimension
     * @param hidden GRU state width
     * @param maxLength M, the window length
     * @param dropout share dropped in training, in [0, 1)
     * @param learningRate Adam step size
     * @param initStd standard deviation of the normal initial weights (biases start at 0)
     * @param random seeds the initial weights
     */
    Gru4RecNetwork(int items, int dims, int hidden, int maxLength, double dropout, double learningRate, double initStd, SplittableRandom random) {
        super(maxLength, random, learningRate);
        this.items = items;
        this.dims = dims;
        this.hidden = hidden;
        this.dropout = (float) dropout;
        build(initStd);
    }

    private void build(double std) {
        int t = maxLength;
        SDVariable inputs = sd.placeHolder("inputs", DataType.INT, -1);
        SDVariable steps = sd.placeHolder("steps", DataType.FLOAT, t, -1, 1); // 1 on real positions, 0 on padding
        SDVariable targets = sd.placeHolder("targets", DataType.INT, -1);
        SDVariable weights = sd.placeHolder("weights", DataType.FLOAT, -1, 1);
        SDVariable last = sd.placeHolder("last", DataType.INT, -1);
        SDVariable dropInput = sd.placeHolder("drop_input", DataType.FLOAT, -1, dims);
        SDVariable dropHidden = sd.placeHolder("drop_hidden", DataType.FLOAT, -1, hidden);

        SDVariable table = params.normal("items", std, items, dims);
        SDVariable e = sd.gather(table, inputs, 0).mul(dropInput); // [B·T, d]
        SDVariable[] inputPart = new SDVariable[3];
        SDVariable[] hiddenWeights = new SDVariable[3];
        SDVariable[] hiddenBias = new SDVariable[3];
        double gruStd = 1 / Math.sqrt(hidden); // PyTorch's nn.GRU scale
        for (int g = 0; g < 3; g++) {
            SDVariable wi = params.normal("input_weights." + GATES[g], gruStd, hidden, dims);
            SDVariable bi = params.constant("input_bias." + GATES[g], 0f, hidden);
            hiddenWeights[g] = params.normal("hidden_weights." + GATES[g], gruStd, hidden, hidden);
            hiddenBias[g] = params.constant("hidden_bias." + GATES[g], 0f, hidden);
            // every step's input part at once, then one [B, hidden] slice per step
            SDVariable all = sd.mmul(e, wi, false, true, false).add(bi).reshape(-1, t, hidden);
            inputPart[g] = sd.permute(all, 1, 0, 2); // [T, B, hidden]
        }
        SDVariable[][] perStep = new SDVariable[3][];
        for (int g = 0; g < 3; g++) {
            perStep[g] = sd.unstack(inputPart[g], 0, t);
        }
        SDVariable[] mask = sd.unstack(steps, 0, t);
        SDVariable h = perStep[0][0].mul(0); // zeros [B, hidden]
        SDVariable[] states = new SDVariable[t];
        for (int s = 0; s < t; s++) {
            SDVariable r = sd.nn().sigmoid(perStep[0][s].add(sd.mmul(h, hiddenWeights[0], false, true, false)).add(hiddenBias[0]));
            SDVariable z = sd.nn().sigmoid(perStep[1][s].add(sd.mmul(h, hiddenWeights[1], false, true, false)).add(hiddenBias[1]));
            SDVariable n = sd.nn().tanh(perStep[2][s].add(r.mul(sd.mmul(h, hiddenWeights[2], false, true, false).add(hiddenBias[2]))));
            SDVariable next = z.rsub(1).mul(n).add(z.mul(h));
            h = mask[s].mul(next).add(mask[s].rsub(1).mul(h));
            states[s] = h;
        }
        SDVariable all = sd.permute(sd.stack(0, states), 1, 0, 2).reshape(-1, hidden).mul(dropHidden); // [B·T, hidden]
        SDVariable wo = params.normal("output.weights", std, dims, hidden);
        SDVariable bo = params.constant("output.bias", 0f, dims);
        SDVariable u = sd.mmul(all, wo, false, true, false).add(bo); // [B·T, d]
        sd.gather(u, last, 0).rename("user");
        SDVariable logits = sd.mmul(u, table, false, true, false);
        // log-softmax over the last dimension, not logSumExp (its backward fails on its rank-1 sum) nor logSoftmax(x, 1) (refused): ND4J 1.0.0-M2.1
        SDVariable targetLogProbability = sd.nn().logSoftmax(logits).mul(sd.oneHot(targets, items)).sum(true, 1); // [B·T, 1]
        targetLogProbability.mul(weights).sum().neg().rename("loss");
        sd.setLossVariables("loss");
    }

    @Override
    protected Map<String, INDArray> feed(Batch batch, SplittableRandom random) {
        int rows = batch.rows();
        int t = maxLength;
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put("inputs", Nd4j.createFromArray(batch.inputs()));
        float[] steps = new float[t * rows];
        for (int r = 0; r < rows; r++) {
            for (int s = batch.padding()[r]; s < t; s++) {
                steps[s * rows + r] = 1f;
            }
        }
        feed.put("steps", Nd4j.create(steps, new long[] { t, rows, 1 }, 'c'));
        int[] last = new int[rows];
        for (int r = 0; r < rows; r++) {
            last[r] = r * t + t - 1;
        }
        feed.put("last", Nd4j.createFromArray(last));
        float p = random == null ? 0 : dropout;
        feed.put("drop_input", DropoutMasks.mask(rows * t, dims, p, random));
        feed.put("drop_hidden", DropoutMasks.mask(rows * t, hidden, p, random));
        return feed;
    }

    @Override
    public EncoderWeights weights() {
        Map<String, Number> fields = new LinkedHashMap<>();
        fields.put("item_dims", dims);
        fields.put("user_dims", dims);
        fields.put("max_length", maxLength);
        fields.put("hidden_dims", hidden);
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put("gru.input_weights", gates("input_weights."));
        w.put("gru.hidden_weights", gates("hidden_weights."));
        w.put("gru.input_bias", gates("input_bias."));
        w.put("gru.hidden_bias", gates("hidden_bias."));
        w.put("output.weights", params.values("output.weights"));
        w.put("output.bias", params.values("output.bias"));
        return new EncoderWeights("gru4rec", fields, w, params.rows("items"));
    }

    /** Rows r, then z, then n: PyTorch's stacking, which the format keeps. */
    private float[] gates(String prefix) {
        return concat(params.values(prefix + "r"), params.values(prefix + "z"), params.values(prefix + "n"));
    }

    /** Sets every weight from an export (tests). */
    @Override
    public void load(EncoderWeights weights) {
        params.set("items", concat(weights.items()));
        String[][] stacked = { { "gru.input_weights", "input_weights." }, { "gru.hidden_weights", "hidden_weights." },
            { "gru.input_bias", "input_bias." }, { "gru.hidden_bias", "hidden_bias." } };
        for (String[] s : stacked) {
            float[] all = weights.block(s[0]);
            int part = all.length / 3;
            for (int g = 0; g < 3; g++) {
                params.set(s[1] + GATES[g], Arrays.copyOfRange(all, g * part, (g + 1) * part));
            }
        }
        params.set("output.weights", weights.block("output.weights"));
        params.set("output.bias", weights.block("output.bias"));
    }
}
