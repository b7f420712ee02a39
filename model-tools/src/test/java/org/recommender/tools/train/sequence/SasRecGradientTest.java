package org.recommender.tools.train.sequence;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written SASRec backward pass against central finite differences of its own loss, in double precision, for
 * every single parameter of every block (item table, positions, each block's twelve, the final norm), on tiny shapes
 * with one and two blocks, one and two heads, a feed-forward width unlike d, padded and full windows and dropout
 * masks in place. Central differences with step 1e-5 are accurate to about 1e-9 here (truncation ~h², rounding
 * ~1e-16/h), far inside the tolerance, while a wrong term in the backward is off by the term's size.
 */
class SasRecGradientTest {
    private static final int ITEMS = 7;
    private static final int LENGTH = 5;
    private static final double STEP = 1e-5;

    @Test
    void oneBlockOneHead() {
        check(new SasRecLayout(ITEMS, 4, LENGTH, 1, 1, 6), 0.0, 11);
    }

    @Test
    void twoBlocksTwoHeadsWithDropout() {
        check(new SasRecLayout(ITEMS, 6, LENGTH, 2, 2, 5), 0.3, 12);
    }

    @Test
    void twoBlocksOneHeadWithDropout() {
        check(new SasRecLayout(ITEMS, 8, LENGTH, 1, 2, 8), 0.2, 13);
    }

    private static void check(SasRecLayout layout, double dropout, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SasRecNetwork network = new SasRecNetwork(layout, 1.3, 1e-8, dropout, 1e-3, 0.5, random);
        double[] p = network.parameters();
        // gains near 1 and non-zero biases, so no gradient term hides behind a 0 or 1
        layout.blocksByName().forEach((name, at) -> {
            for (int i = at[0]; i < at[0] + at[1]; i++) {
                if (name.endsWith(".gain")) {
                    p[i] = 1 + (random.nextDouble() - 0.5) * 0.6;
                } else if (name.endsWith("bias")) {
                    p[i] = (random.nextDouble() - 0.5) * 0.4;
                }
            }
        });
        Batch batch = batch(random);
        List<SasRecPass.Masks> masks = network.masks(batch, random);
        double[] analytic = new double[p.length];
        network.lossAndGradient(batch, masks, analytic);
        double[] scratch = new double[p.length];
        for (Map.Entry<String, int[]> block : layout.blocksByName().entrySet()) {
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

    /** Three windows: a full one, one with two padding positions, one with a single prediction. */
    private static Batch batch(SplittableRandom random) {
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
            for (int t = padding[r]; t < LENGTH; t++) {
                inputs[r * LENGTH + t] = random.nextInt(ITEMS);
                targets[r * LENGTH + t] = random.nextInt(ITEMS);
                weights[r * LENGTH + t] = 1f / real;
            }
        }
        return new Batch(rows, LENGTH, inputs, padding, targets, weights);
    }
}
