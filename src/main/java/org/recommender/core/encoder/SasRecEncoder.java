package org.recommender.core.encoder;

import java.util.Iterator;
import java.util.List;

/**
 * The {@code sasrec} encoder (Kang &amp; McAuley, ICDM 2018; formulas in {@code docs/model-format.md}): item vectors
 * plus position rows, pre-norm causal self-attention blocks, a final layer norm at the newest position. Matrix rows
 * are SIMD dot products ({@link DenseRows}); attention sums and softmaxes run in double.
 *
 * <p>Only the newest position's output is the user vector, so the last block computes its query, attention and
 * feed-forward for that position alone (earlier blocks need every position, as keys and values of the next): for
 * two blocks this is about 40 % of the work of the full sequence.
 */
public final class SasRecEncoder implements UserEncoder {
    private final int dims;
    private final int maxLength;
    private final int heads;
    private final float inputScale;
    private final float[][] positions;
    private final Block[] blocks;
    private final LayerNorm finalNorm;
    private final int ffnDims;

    private record Block(LayerNorm attentionNorm, DenseRows in, DenseRows out, LayerNorm ffnNorm, DenseRows ffnIn, DenseRows ffnOut) {}

    /**
     * @param dims d, the item and user dimension
     * @param maxLength M, the number of position rows
     * @param heads H, dividing d
     * @param numBlocks self-attention blocks
     * @param ffnDims the feed-forward inner width
     * @param inputScale multiplies each history vector
     * @param epsilon the layer norms' epsilon
     * @param weights the weight blocks in bundle order ({@code positions}, each block's twelve, {@code final_norm});
     *     copied
     */
    public SasRecEncoder(int dims, int maxLength, int heads, int numBlocks, int ffnDims, float inputScale, double epsilon, List<float[]> weights) {
        if (dims % heads != 0 || weights.size() != 3 + 12 * numBlocks) {
            throw new IllegalArgumentException("inconsistent sasrec shapes");
        }
        this.dims = dims;
        this.maxLength = maxLength;
        this.heads = heads;
        this.inputScale = inputScale;
        this.ffnDims = ffnDims;
        Iterator<float[]> w = weights.iterator();
        float[] p = w.next();
        this.positions = new float[maxLength][];
        for (int i = 0; i < maxLength; i++) {
            positions[i] = java.util.Arrays.copyOfRange(p, i * dims, (i + 1) * dims);
        }
        this.blocks = new Block[numBlocks];
        for (int b = 0; b < numBlocks; b++) {
            LayerNorm attentionNorm = new LayerNorm(w.next(), w.next(), epsilon);
            DenseRows in = new DenseRows(w.next(), w.next(), 3 * dims, dims);
            DenseRows out = new DenseRows(w.next(), w.next(), dims, dims);
            LayerNorm ffnNorm = new LayerNorm(w.next(), w.next(), epsilon);
            DenseRows ffnIn = new DenseRows(w.next(), w.next(), ffnDims, dims);
            DenseRows ffnOut = new DenseRows(w.next(), w.next(), dims, ffnDims);
            blocks[b] = new Block(attentionNorm, in, out, ffnNorm, ffnIn, ffnOut);
        }
        this.finalNorm = new LayerNorm(w.next(), w.next(), epsilon);
    }

    @Override
    public String type() {
        return "sasrec";
    }

    @Override
    public int itemDims() {
        return dims;
    }

    @Override
    public int userDims() {
        return dims;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public long memoryBytes() {
        long bytes = 256 + 16L * maxLength + 4L * maxLength * dims + finalNorm.bytes();
        for (Block b : blocks) {
            bytes += 64 + b.attentionNorm.bytes() + b.in.bytes() + b.out.bytes() + b.ffnNorm.bytes() + b.ffnIn.bytes() + b.ffnOut.bytes();
        }
        return bytes;
    }

    /**
     * @return the multiply-adds of one encoding of {@code length} items: each block projects every position (q, k, v
     *     and out: 4d², the feed-forward layer 2·d·ffn) and attends each to those before it (2·L²·d at most)
     */
    public static long work(int length, int dims, int numBlocks, int ffnDims) {
        long l = length;
        return numBlocks * (l * (4L * dims * dims + 2L * dims * ffnDims) + 2L * l * l * dims);
    }

    @Override
    public long encodeWork(int length) {
        return work(length, dims, blocks.length, ffnDims);
    }

    @Override
    public long encodeBytesBound(int length) {
        // x, q|k|v and o per position, plus per-call vectors (normed input, ffn inner, scores) and array headers.
        return 1024 + (long) length * (16 * 3 + 4L * dims * 5) + 4L * (ffnDims + 4 * dims) + 8L * length;
    }

    @Override
    public float[] encode(float[][] history, int length) {
        Histories.check("sasrec", history, length, maxLength, dims);
        int d = dims;
        float[][] x = new float[length][d];
        int first = maxLength - length;
        for (int t = 0; t < length; t++) {
            float[] e = history[t];
            float[] pos = positions[first + t];
            for (int c = 0; c < d; c++) {
                x[t][c] = inputScale * e[c] + pos[c];
            }
        }
        float[][] qkv = new float[length][3 * d];
        float[] normed = new float[d];
        float[] attended = new float[d];
        float[] projected = new float[d];
        float[] inner = new float[ffnDims];
        double[] weights = new double[length];
        for (int b = 0; b < blocks.length; b++) {
            Block block = blocks[b];
            boolean last = b == blocks.length - 1;
            for (int t = 0; t < length; t++) {
                block.attentionNorm.apply(x[t], normed);
                block.in.apply(normed, qkv[t], 0);
            }
            // Queries of every position but the newest matter only as input to a later block.
            for (int t = last ? length - 1 : 0; t < length; t++) {
                attend(qkv, t, weights, attended);
                block.out.apply(attended, projected, 0);
                addInto(x[t], projected);
            }
            for (int t = last ? length - 1 : 0; t < length; t++) {
                block.ffnNorm.apply(x[t], normed);
                block.ffnIn.apply(normed, inner, 0);
                for (int i = 0; i < inner.length; i++) {
                    inner[i] = Math.max(0f, inner[i]);
                }
                block.ffnOut.apply(inner, projected, 0);
                addInto(x[t], projected);
            }
        }
        float[] user = new float[d];
        finalNorm.apply(x[length - 1], user);
        return user;
    }

    /** Causal multi-head attention of position {@code t} over positions 0…t into {@code out} (d long). */
    private void attend(float[][] qkv, int t, double[] weights, float[] out) {
        int d = dims;
        int width = d / heads;
        double scale = 1 / Math.sqrt(width);
        for (int h = 0; h < heads; h++) {
            int q0 = h * width;
            int k0 = d + h * width;
            int v0 = 2 * d + h * width;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= t; j++) {
                double s = 0;
                for (int c = 0; c < width; c++) {
                    s += (double) qkv[t][q0 + c] * qkv[j][k0 + c];
                }
                weights[j] = s * scale;
                max = Math.max(max, weights[j]);
            }
            double total = 0;
            for (int j = 0; j <= t; j++) {
                weights[j] = Math.exp(weights[j] - max);
                total += weights[j];
            }
            for (int c = 0; c < width; c++) {
                double sum = 0;
                for (int j = 0; j <= t; j++) {
                    sum += weights[j] * qkv[j][v0 + c];
                }
                out[q0 + c] = (float) (sum / total);
            }
        }
    }

    private static void addInto(float[] target, float[] delta) {
        for (int i = 0; i < target.length; i++) {
            target[i] += delta[i];
        }
    }
}
