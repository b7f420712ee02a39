package org.recommender.tools.train;

import java.util.SplittableRandom;

/**
 * Random normal initial factors, drawn in a fixed order from one {@link SplittableRandom}: the same seed gives the
 * same matrix on every JDK (Box–Muller by hand, because {@code nextGaussian}'s algorithm is not specified).
 */
public final class GaussianInit {
    private final SplittableRandom random;
    private final double std;

    /**
     * @param random the source of randomness, shared with the trainer's later draws
     * @param std standard deviation
     */
    public GaussianInit(SplittableRandom random, double std) {
        this.random = random;
        this.std = std;
    }

    /** @return a {@code rows × dims} matrix of N(0, std²) draws */
    public float[][] matrix(int rows, int dims) {
        float[][] m = new float[rows][dims];
        for (float[] row : m) {
            for (int f = 0; f < dims; f++) {
                row[f] = (float) (next() * std);
            }
        }
        return m;
    }

    /** @return one standard normal draw */
    public double next() {
        double u1 = 1 - random.nextDouble(); // (0, 1], keeps the log finite
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
