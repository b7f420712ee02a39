package org.recommender.tools.train;

import org.recommender.tools.data.UserItemMatrix;

import java.util.SplittableRandom;

/**
 * BPR's Adam epochs, as RecBole trains BPR (the published Last.fm and ML-1M anchors): every training pair once per
 * epoch in a shuffled order, each with one negative drawn uniformly from the user's non-interacted items, in
 * minibatches; the loss is the batch mean of −ln σ(u·i − u·j) and each batch takes one {@link DenseAdam} step over
 * every factor. Dense steps cost O((users + items) · dims) per batch — for Last.fm (19,524 rows × 64) about 1.2 M
 * updates, 37 batches an epoch.
 *
 * <p>Deterministic: one {@link SplittableRandom} draws the order and the negatives ({@link TripleBatches}), sums are
 * scalar and in a fixed order, and {@link StrictMath#exp} is used, so the same seed gives bit-identical factors on
 * any machine.
 */
final class BprAdam {
    private final float[][] users;
    private final float[][] items;
    private final DenseAdam adam;
    private final int batchSize;

    BprAdam(float[][] users, float[][] items, BprConfig config) {
        this.users = users;
        this.items = items;
        this.adam = new DenseAdam(config.learningRate(), config.regularization(), users, items);
        this.batchSize = config.batchSize();
    }

    /**
     * One epoch.
     *
     * @return the mean −ln σ(x̂_uij) over the epoch's triples
     */
    double epoch(UserItemMatrix data, SplittableRandom random, TrainingControl control) {
        return TripleBatches.epoch(data, batchSize, random, control, batch -> {
            float scale = 1f / batch.size();
            double loss = 0;
            for (int t = 0; t < batch.size(); t++) {
                loss += BprGradient.add(users, items, batch.user(t), batch.positive(t), batch.negative(t), scale, adam.gradient(0), adam.gradient(1));
            }
            adam.step();
            return loss;
        });
    }
}
