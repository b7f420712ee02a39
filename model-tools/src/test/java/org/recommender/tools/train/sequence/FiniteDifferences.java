package org.recommender.tools.train.sequence;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient tests' check of a hand-written backward pass ({@link Gru4RecGradientTest}, {@link SasRecGradientTest}):
 * the network's gradient against central finite differences of its own loss, in double precision, for every single
 * parameter of every block, on a small batch of padded and full windows, with the network's dropout masks in place.
 * Central differences with step 1e-5 are accurate to about 1e-9 on the tests' tiny shapes (truncation ~h², rounding
 * ~1e-16/h), far inside the tolerance, while a wrong term in the backward is off by the term's size.
 */
final class FiniteDifferences {
    private static final double STEP = 1e-5;
    /** Window length of the checked batch. */
    static final int LENGTH = 5;

    private FiniteDifferences() {}

    /**
     * Checks every parameter of {@code network} on {@link #batch} windows, the masks drawn from {@code random} as
     * training draws them.
     *
     * @param network built with window length {@link #LENGTH}, over {@code items} items; its parameters are perturbed
     *     and restored one at a time
     * @param dropout the network's dropout: masks must be drawn exactly when it is above 0
     */
    static <M> void checkEveryParameter(SequenceNetwork<M> network, int items, double dropout, SplittableRandom random) {
        Batch batch = batch(random, items);
        List<M> masks = network.masks(batch, random);
        assertTrue((dropout == 0) == (masks == null), "masks drawn exactly when there is dropout");
        double[] p = network.parameters();
        double[] analytic = new double[p.length];
        network.lossAndGradient(batch, masks, analytic);
        double[] scratch = new double[p.length];
        for (Map.Entry<String, int[]> block : network.blocksByName().entrySet()) {
            int[] at = block.getValue();
            double largest = 0;
            for (int i = at[0]; i < at[0] + at[1]; i++) {
                double saved = p[i];
                p[i] = saved + STEP;
                double up = network.lossAndGradient(batch, masks, scratch);
                p[i] = saved - STEP;
                double down = network.lossAndGradient(batch, masks, scratch);
                p[i] = saved;
                double numeric = (up - down) / (2 * STEP);
                largest = Math.max(largest, Math.abs(numeric));
                assertTrue(Math.abs(numeric - analytic[i]) <= 1e-7 + 1e-5 * Math.abs(numeric),
                    block.getKey() + "[" + (i - at[0]) + "]: analytic " + analytic[i] + ", finite differences " + numeric);
            }
            // the loss reaches every block, so this check compared something
            assertTrue(largest > 1e-4, block.getKey() + ": no gradient above 1e-4 (" + largest + ")");
        }
    }

    /**
     * Three windows: a full one, one with two padding positions, one with a single prediction; padding positions
     * hold arbitrary items, which must not matter. Each real position weighs 1 / real positions.
     */
    private static Batch batch(SplittableRandom random, int items) {
        int[] padding = { 0, 2, LENGTH - 1 };
        int rows = padding.length;
        int[] inputs = new int[rows * LENGTH];
        int[] targets = new int[rows * LENGTH];
        float[] weights = new float[rows * LENGTH];
        int real = 0;
        for (int pad : padding) {
            real += LENGTH - pad;
        }
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < LENGTH; t++) {
                inputs[r * LENGTH + t] = random.nextInt(items);
                if (t >= padding[r]) {
                    targets[r * LENGTH + t] = random.nextInt(items);
                    weights[r * LENGTH + t] = 1f / real;
                }
            }
        }
        return new Batch(rows, LENGTH, inputs, padding, targets, weights);
    }
}
