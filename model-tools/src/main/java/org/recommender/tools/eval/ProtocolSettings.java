package org.recommender.tools.eval;

import org.recommender.tools.data.NcfNegatives;

/**
 * The settings of an evaluation protocol.
 *
 * @param ks top-K cut-offs
 * @param splitSeed seed of the split and of sampled negatives (fixed across training seeds, so runs differ only in
 *     training)
 * @param negatives sampled negatives per user (NCF)
 * @param givenTests the NCF release's test cases ({@code .negative} file: held-out item and negatives per user), or null
 *     to hold out each user's latest item and sample negatives
 * @param validationRatio share of each user's items for validation (random / temporal)
 * @param testRatio share for testing (random / temporal)
 * @param folds k of k-fold (rating-kfold)
 * @param patience early-stopping patience in epochs, or 0 for none (every epoch trained, the last kept)
 */
public record ProtocolSettings(int[] ks, long splitSeed, int negatives, NcfNegatives givenTests, double validationRatio, double testRatio, int folds,
    int patience) {}
