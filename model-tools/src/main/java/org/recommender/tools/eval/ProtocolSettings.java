package org.recommender.tools.eval;

/**
 * The settings of an evaluation protocol.
 *
 * @param ks top-K cut-offs
 * @param splitSeed seed of the split and of sampled negatives (fixed across training seeds, so runs differ only in
 *     training)
 * @param negatives sampled negatives per user (NCF)
 * @param givenNegatives per-user negatives read from a file (the NCF release's {@code .negative}), or null to sample
 * @param validationRatio share of each user's items for validation (random / temporal)
 * @param testRatio share for testing (random / temporal)
 * @param folds k of k-fold (rating-kfold)
 * @param patience early-stopping patience in epochs
 */
public record ProtocolSettings(int[] ks, long splitSeed, int negatives, int[][] givenNegatives, double validationRatio, double testRatio, int folds,
    int patience) {}
