package org.recommender.tools.train;

import org.recommender.tools.data.UserItemMatrix;

import java.util.SplittableRandom;

/**
 * BPR's Adam epochs, as RecBole trains BPR (the published Last.fm and ML-1M anchors): every training pair once per
 * epoch in a shuffled order, each with one negative drawn uniformly from the user's non-interacted items, in
 * minibatches; the loss is the batch mean of −ln σ(u·i − u·j) and each batch takes one Adam step (Kingma &amp; Ba
 * 2015; β₁ 0.9, β₂ 0.999, ε 1e-8, bias-corrected as PyTorch's {@code torch.optim.Adam}) over <em>every</em> factor:
 * rows a batch did not touch still move by their decaying moments, exactly as a dense PyTorch embedding does. The
 * L2 penalty is PyTorch's {@code weight_decay} (added to every gradient). Dense steps cost O((users + items) · dims)
 * per batch — for Last.fm (19,524 rows × 64) about 1.2 M updates, 45 batches an epoch.
 *
 * <p>Deterministic: one {@link SplittableRandom} draws the order and the negatives, sums are scalar and in a fixed
 * order, and {@link StrictMath#exp} is used, so the same seed gives bit-identical factors on any machine.
 */
final class BprAdam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final float[][] users;
    private final float[][] items;
    private final Moments userMoments;
    private final Moments itemMoments;
    private final double learningRate;
    private final float weightDecay;
    private final int batchSize;
    private long steps;

    /** First and second moments and the batch's gradient of one factor matrix. */
    private record Moments(float[][] first, float[][] second, float[][] gradient) {
        static Moments of(float[][] factors) {
            int rows = factors.length;
            int dims = rows == 0 ? 0 : factors[0].length;
            return new Moments(new float[rows][dims], new float[rows][dims], new float[rows][dims]);
        }
    }

    BprAdam(float[][] users, float[][] items, BprConfig config) {
        this.users = users;
        this.items = items;
        this.userMoments = Moments.of(users);
        this.itemMoments = Moments.of(items);
        this.learningRate = config.learningRate();
        this.weightDecay = (float) config.regularization();
        this.batchSize = config.batchSize();
    }

    /**
     * One epoch.
     *
     * @return the mean −ln σ(x̂_uij) over the epoch's triples
     */
    double epoch(UserItemMatrix data, SplittableRandom random, TrainingControl control) {
        int pairs = data.nonZeros();
        int[] order = new int[pairs];
        for (int e = 0; e < pairs; e++) {
            order[e] = e;
        }
        for (int e = pairs - 1; e > 0; e--) {
            int k = random.nextInt(e + 1);
            int t = order[e];
            order[e] = order[k];
            order[k] = t;
        }
        double lossSum = 0;
        int counted = 0;
        for (int start = 0; start < pairs; start += batchSize) {
            int end = Math.min(pairs, start + batchSize);
            float scale = 1f / (end - start);
            for (int b = start; b < end; b++) {
                int entry = order[b];
                int u = data.userOfEntry(entry);
                if (data.rowLength(u) == data.items()) {
                    continue; // no negative to draw
                }
                int i = data.itemOfEntry(entry);
                int j;
                do {
                    j = random.nextInt(data.items());
                } while (data.contains(u, j));
                lossSum += accumulate(u, i, j, scale);
                counted++;
            }
            step();
            control.steps(end - start);
        }
        return counted == 0 ? 0 : lossSum / counted;
    }

    /** Adds one triple's gradient of (batch-mean) −ln σ(x) to the batch's; @return its −ln σ(x) */
    private double accumulate(int u, int i, int j, float scale) {
        float[] pu = users[u];
        float[] qi = items[i];
        float[] qj = items[j];
        float x = 0;
        for (int f = 0; f < pu.length; f++) {
            x += pu[f] * (qi[f] - qj[f]);
        }
        // d(−ln σ(x))/dx = −σ(−x)
        float g = (float) (-scale / (1 + StrictMath.exp(x)));
        float[] gu = userMoments.gradient[u];
        float[] gi = itemMoments.gradient[i];
        float[] gj = itemMoments.gradient[j];
        for (int f = 0; f < pu.length; f++) {
            gu[f] += g * (qi[f] - qj[f]);
            gi[f] += g * pu[f];
            gj[f] -= g * pu[f];
        }
        return BprTrainer.softplus(-x);
    }

    /** One Adam step over every factor, clearing the batch's gradient. */
    private void step() {
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = Math.sqrt(1 - Math.pow(BETA2, steps));
        float stepSize = (float) (learningRate / correction1);
        update(users, userMoments, stepSize, (float) correction2);
        update(items, itemMoments, stepSize, (float) correction2);
    }

    private void update(float[][] factors, Moments moments, float stepSize, float correction2) {
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float eps = (float) EPSILON;
        for (int r = 0; r < factors.length; r++) {
            float[] w = factors[r];
            float[] m = moments.first[r];
            float[] v = moments.second[r];
            float[] g = moments.gradient[r];
            for (int f = 0; f < w.length; f++) {
                float grad = g[f] + weightDecay * w[f];
                g[f] = 0;
                m[f] = b1 * m[f] + (1 - b1) * grad;
                v[f] = b2 * v[f] + (1 - b2) * grad * grad;
                w[f] -= stepSize * m[f] / ((float) Math.sqrt(v[f]) / correction2 + eps);
            }
        }
    }
}
