package org.recommender.tools.train.sequence;

import org.recommender.tools.train.GradientCheck;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequence networks' gradient check ({@link Gru4RecGradientTest}, {@link SasRecGradientTest}): the network's
 * gradient against central finite differences of its own loss ({@link GradientCheck}) for every single parameter of
 * every block, on a small batch of padded and full windows, with the network's dropout masks in place.
 */
final class FiniteDifferences {
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
            GradientCheck.block(block.getKey(), p, at[0], at[1], analytic, () -> network.lossAndGradient(batch, masks, scratch));
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
