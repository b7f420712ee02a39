package org.recommender.tools.train.sequence;

import java.util.SplittableRandom;

/**
 * Inverted-dropout masks drawn in Java from the trainer's seeded generator (so a seed fixes them, in window order,
 * before any parallel work): each unit kept with probability 1 − p and then scaled by 1 / (1 − p), so the expected activation
 * is unchanged and encoding needs no rescaling — the mask is then all ones.
 */
final class DropoutMasks {
    private DropoutMasks() {}

    /**
     * @param n how many units
     * @param p share dropped, in (0, 1)
     * @param random the generator, one draw per unit
     * @return per unit 0 (dropped) or 1 / (1 − p) (kept)
     */
    static double[] factors(int n, double p, SplittableRandom random) {
        double keep = 1 - p;
        double scale = 1 / keep;
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            m[i] = random.nextDouble() < keep ? scale : 0;
        }
        return m;
    }
}
