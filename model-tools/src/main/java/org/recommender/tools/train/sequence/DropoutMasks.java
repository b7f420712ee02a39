package org.recommender.tools.train.sequence;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Inverted-dropout masks drawn in Java from the trainer's seeded generator (so a seed fixes them, whatever ND4J's
 * generator does): each unit kept with probability 1 − p and then scaled by 1 / (1 − p), so the expected activation
 * is unchanged and encoding needs no rescaling — the mask is then all ones.
 */
final class DropoutMasks {
    private DropoutMasks() {}

    /**
     * @param rows mask rows
     * @param width mask columns
     * @param p share dropped, in [0, 1); 0 gives ones
     * @param random the generator, unused when {@code p} is 0
     * @return a [rows, width] float mask
     */
    static INDArray mask(int rows, int width, float p, SplittableRandom random) {
        if (p == 0) {
            return Nd4j.ones(DataType.FLOAT, rows, width);
        }
        double[] factors = factors(rows * width, p, random);
        float[] m = new float[factors.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) factors[i];
        }
        return Nd4j.create(m, new long[] { rows, width }, 'c');
    }

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
