package org.recommender.tools.train.sequence;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SASRec (Kang &amp; McAuley, ICDM 2018) as a SameDiff graph that computes exactly the {@code sasrec} encoder of the
 * model format — item vector times {@code input_scale} plus a learned position row, pre-norm causal self-attention
 * blocks, a final layer norm — at every position of a left-padded window at once, plus inverted dropout (masks fed as
 * placeholders, drawn by the trainer's seeded generator; all ones when encoding) on the embedded input, the attention
 * output and both feed-forward layers. The loss is the next-item cross-entropy over every item (full softmax, the
 * item table tied as output embedding), weighted per position so padding contributes nothing.
 *
 * <p>Padding is never attended: each window's additive attention mask is {@code −1e9} for keys after the query
 * (causal) and for padded keys, and {@code exp(−1e9)} is exactly 0 in float32, so a real position's output does not
 * depend on what the padding holds. A padded query row may attend to itself only; its output is never read.
 *
 * <p>q, k and v have a weight matrix each here; the bundle's {@code in_weights} stacks them (rows q, then k, then v).
 */
final class SasRecNetwork extends SameDiffNetwork {
    private static final float MASKED = -1e9f;

    private final int items;
    private final int dims;
    private final int heads;
    private final int blocks;
    private final int ffnDims;
    private final float inputScale;
    private final double epsilon;
    private final float dropout;
    private final List<String> dropoutMasks = new ArrayList<>();

    /**
     * @param items catalogue size
     * @param dims d
     * @param maxLength M
     * @param heads H, dividing d
     * @param blocks attention blocks
     * @param ffnDims feed-forward width
     * @param inputScale multiplies item vectors before the position row is added
     * @param epsilon layer-norm epsilon
     * @param dropout share of units dropped in training, in [0, 1)
     * @param learningRate Adam step size
     * @param initStd standard deviation of the normal initial weights (layer-norm gains start at 1, biases at 0)
     * @param random seeds the initial weights
     */
    SasRecNetwork(int items, int dims, int maxLength, int heads, int blocks, int ffnDims, float inputScale, double epsilon, double dropout,
        double learningRate, double initStd, SplittableRandom random) {
        super(maxLength, random, learningRate);
        if (dims % heads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must divide dims (" + dims + ")");
        }
        this.items = items;
        this.dims = dims;
        this.heads = heads;
        this.blocks = blocks;
        this.ffnDims = ffnDims;
        this.inputScale = inputScale;
        this.epsilon = epsilon;
        this.dropout = (float) dropout;
        build(initStd);
    }

    private void build(double std) {
        int t = maxLength;
        SDVariable inputs = sd.placeHolder("inputs", DataType.INT, -1);
        SDVariable attentionMask = sd.placeHolder("attention_mask", DataType.FLOAT, -1, t, t);
        SDVariable targets = sd.placeHolder("targets", DataType.INT, -1);
        SDVariable weights = sd.placeHolder("weights", DataType.FLOAT, -1, 1);
        SDVariable last = sd.placeHolder("last", DataType.INT, -1);

        SDVariable table = params.normal("items", std, items, dims);
        SDVariable positions = params.normal("positions", std, t, dims);
        // x: [B, T, d] → kept flat as [B·T, d] for the per-position layers
        SDVariable x = sd.gather(table, inputs, 0).mul(inputScale).reshape(-1, t, dims).add(positions).reshape(-1, dims);
        x = dropped(x, "drop_input", dims);
        int headDims = dims / heads;
        for (int b = 0; b < blocks; b++) {
            String p = "blocks[" + b + "].";
            SDVariable a = layerNorm(x, p + "attention_norm");
            SDVariable q = linear(a, p + "attention.q", dims, dims, std);
            SDVariable k = linear(a, p + "attention.k", dims, dims, std);
            SDVariable v = linear(a, p + "attention.v", dims, dims, std);
            SDVariable scores = sd.mmul(splitHeads(q, headDims), splitHeads(k, headDims), false, true, false)
                .div(Math.sqrt(headDims)).add(attentionMask);
            SDVariable attended = sd.mmul(sd.nn().softmax(scores, 2), splitHeads(v, headDims)); // [B·H, T, dh]
            SDVariable joined = sd.permute(attended.reshape(-1, heads, t, headDims), 0, 2, 1, 3).reshape(-1, dims);
            x = x.add(dropped(linear(joined, p + "attention.out", dims, dims, std), "drop_attention_" + b, dims));
            SDVariable f = layerNorm(x, p + "ffn_norm");
            SDVariable hidden = dropped(sd.nn().relu(linear(f, p + "ffn.in", ffnDims, dims, std), 0), "drop_ffn_in_" + b, ffnDims);
            x = x.add(dropped(linear(hidden, p + "ffn.out", dims, ffnDims, std), "drop_ffn_out_" + b, dims));
        }
        SDVariable h = layerNorm(x, "final_norm"); // [B·T, d]: the user vector after each position
        sd.gather(h, last, 0).rename("user"); // after each window's newest item
        SDVariable logits = sd.mmul(h, table, false, true, false); // [B·T, items]
        // log-softmax over the last dimension, not logSumExp (its backward fails on its rank-1 sum) nor logSoftmax(x, 1) (refused): ND4J 1.0.0-M2.1
        SDVariable targetLogProbability = sd.nn().logSoftmax(logits).mul(sd.oneHot(targets, items)).sum(true, 1); // [B·T, 1]
        targetLogProbability.mul(weights).sum().neg().rename("loss");
        sd.setLossVariables("loss");
    }

    /** [B·T, d] → [B·H, T, d/H]: head h takes dims h·d/H … (h+1)·d/H − 1, as the format says. */
    private SDVariable splitHeads(SDVariable x, int headDims) {
        return sd.permute(x.reshape(-1, maxLength, heads, headDims), 0, 2, 1, 3).reshape(-1, maxLength, headDims);
    }

    /** W·x + b per row, W of {@code out × in} (one row per output, as the bundle stores it). */
    private SDVariable linear(SDVariable x, String name, int out, int in, double std) {
        SDVariable w = params.normal(name + ".weights", std, out, in);
        SDVariable b = params.constant(name + ".bias", 0f, out);
        return sd.mmul(x, w, false, true, false).add(b);
    }

    /** LN(y) = (y − mean) / sqrt(var + eps) ⊙ gain + bias over the last dimension, variance with divisor d. */
    private SDVariable layerNorm(SDVariable x, String name) {
        SDVariable gain = params.constant(name + ".gain", 1f, dims);
        SDVariable bias = params.constant(name + ".bias", 0f, dims);
        SDVariable centred = x.sub(x.mean(true, 1));
        SDVariable variance = centred.mul(centred).mean(true, 1);
        return centred.mul(sd.math().rsqrt(variance.add(epsilon))).mul(gain).add(bias);
    }

    /** Multiplies by an inverted-dropout mask placeholder of shape [B·T, width]. */
    private SDVariable dropped(SDVariable x, String mask, int width) {
        dropoutMasks.add(mask + ":" + width);
        return x.mul(sd.placeHolder(mask, DataType.FLOAT, -1, width));
    }

    /** Inputs, attention masks, dropout masks (all ones without {@code random}) and the newest position per window. */
    @Override
    protected Map<String, INDArray> feed(Batch batch, SplittableRandom random) {
        int rows = batch.rows();
        int t = maxLength;
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put("inputs", Nd4j.createFromArray(batch.inputs()));
        float[] mask = new float[rows * heads * t * t];
        for (int r = 0; r < rows; r++) {
            int pad = batch.padding()[r];
            for (int hd = 0; hd < heads; hd++) {
                int base = (r * heads + hd) * t * t;
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < t; j++) {
                        boolean visible = i < pad ? j == i : j <= i && j >= pad;
                        mask[base + i * t + j] = visible ? 0f : MASKED;
                    }
                }
            }
        }
        feed.put("attention_mask", Nd4j.create(mask, new long[] { (long) rows * heads, t, t }, 'c'));
        int[] last = new int[rows];
        for (int r = 0; r < rows; r++) {
            last[r] = r * t + t - 1;
        }
        feed.put("last", Nd4j.createFromArray(last));
        for (String m : dropoutMasks) {
            String name = m.substring(0, m.indexOf(':'));
            int width = Integer.parseInt(m.substring(m.indexOf(':') + 1));
            feed.put(name, DropoutMasks.mask(rows * t, width, random == null ? 0 : dropout, random));
        }
        return feed;
    }

    @Override
    public EncoderWeights weights() {
        Map<String, Number> fields = new LinkedHashMap<>();
        fields.put("item_dims", dims);
        fields.put("user_dims", dims);
        fields.put("max_length", maxLength);
        fields.put("heads", heads);
        fields.put("num_blocks", blocks);
        fields.put("ffn_dims", ffnDims);
        fields.put("input_scale", (double) inputScale);
        fields.put("layer_norm_epsilon", epsilon);
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put("positions", params.values("positions"));
        for (int b = 0; b < blocks; b++) {
            String p = "blocks[" + b + "].";
            w.put(p + "attention_norm.gain", params.values(p + "attention_norm.gain"));
            w.put(p + "attention_norm.bias", params.values(p + "attention_norm.bias"));
            w.put(p + "attention.in_weights", concat(params.values(p + "attention.q.weights"), params.values(p + "attention.k.weights"),
                params.values(p + "attention.v.weights")));
            w.put(p + "attention.in_bias", concat(params.values(p + "attention.q.bias"), params.values(p + "attention.k.bias"),
                params.values(p + "attention.v.bias")));
            w.put(p + "attention.out_weights", params.values(p + "attention.out.weights"));
            w.put(p + "attention.out_bias", params.values(p + "attention.out.bias"));
            w.put(p + "ffn_norm.gain", params.values(p + "ffn_norm.gain"));
            w.put(p + "ffn_norm.bias", params.values(p + "ffn_norm.bias"));
            w.put(p + "ffn.in_weights", params.values(p + "ffn.in.weights"));
            w.put(p + "ffn.in_bias", params.values(p + "ffn.in.bias"));
            w.put(p + "ffn.out_weights", params.values(p + "ffn.out.weights"));
            w.put(p + "ffn.out_bias", params.values(p + "ffn.out.bias"));
        }
        w.put("final_norm.gain", params.values("final_norm.gain"));
        w.put("final_norm.bias", params.values("final_norm.bias"));
        return new EncoderWeights("sasrec", fields, w, params.rows("items"));
    }

    /**
     * Sets every weight from an export (tests: random weights in, then the graph's forward against a reference).
     *
     * @param weights blocks named as {@link #weights()} names them
     */
    @Override
    public void load(EncoderWeights weights) {
        params.set("items", concat(weights.items()));
        params.set("positions", weights.block("positions"));
        int d2 = dims * dims;
        for (int b = 0; b < blocks; b++) {
            String p = "blocks[" + b + "].";
            params.set(p + "attention_norm.gain", weights.block(p + "attention_norm.gain"));
            params.set(p + "attention_norm.bias", weights.block(p + "attention_norm.bias"));
            float[] in = weights.block(p + "attention.in_weights");
            float[] inBias = weights.block(p + "attention.in_bias");
            String[] qkv = { "q", "k", "v" };
            for (int s = 0; s < 3; s++) {
                params.set(p + "attention." + qkv[s] + ".weights", java.util.Arrays.copyOfRange(in, s * d2, (s + 1) * d2));
                params.set(p + "attention." + qkv[s] + ".bias", java.util.Arrays.copyOfRange(inBias, s * dims, (s + 1) * dims));
            }
            params.set(p + "attention.out.weights", weights.block(p + "attention.out_weights"));
            params.set(p + "attention.out.bias", weights.block(p + "attention.out_bias"));
            params.set(p + "ffn_norm.gain", weights.block(p + "ffn_norm.gain"));
            params.set(p + "ffn_norm.bias", weights.block(p + "ffn_norm.bias"));
            params.set(p + "ffn.in.weights", weights.block(p + "ffn.in_weights"));
            params.set(p + "ffn.in.bias", weights.block(p + "ffn.in_bias"));
            params.set(p + "ffn.out.weights", weights.block(p + "ffn.out_weights"));
            params.set(p + "ffn.out.bias", weights.block(p + "ffn.out_bias"));
        }
        params.set("final_norm.gain", weights.block("final_norm.gain"));
        params.set("final_norm.bias", weights.block("final_norm.bias"));
    }
}
