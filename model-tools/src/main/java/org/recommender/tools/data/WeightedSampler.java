package org.recommender.tools.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws indices {@code 0..n-1} with probability proportional to fixed non-negative weights, by binary search in
 * the cumulative weights (O(log n) per draw; fine for the sizes the generator uses).
 */
public final class WeightedSampler {
    private final double[] cumulative;

    /** @param weights non-negative, with a positive sum */
    public WeightedSampler(double[] weights) {
        cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 0 || Double.isFinite(weights[i]) == false) {
                throw new IllegalArgumentException("weight [" + i + "] must be finite and non-negative but was " + weights[i]);
            }
            sum += weights[i];
            cumulative[i] = sum;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("weights must have a positive sum");
        }
    }

    /** @return an index drawn with probability weight / total */
    public int sample(SplittableRandom random) {
        double target = random.nextDouble() * cumulative[cumulative.length - 1];
        int at = Arrays.binarySearch(cumulative, target);
        int index = at >= 0 ? at + 1 : -at - 1; // first cumulative weight strictly above the target
        return Math.min(index, cumulative.length - 1);
    }

    /** @return how many indices there are */
    public int size() {
        return cumulative.length;
    }
}
