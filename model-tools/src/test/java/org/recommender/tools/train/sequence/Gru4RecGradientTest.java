package org.recommender.tools.train.sequence;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written GRU4Rec backward pass (backpropagation through time) against central finite differences of its
 * own loss, in double precision, for every single parameter of every block (item table, the GRU's input and hidden
 * weights and biases, the output layer), on tiny shapes — hidden width below, equal to and above d — with padded and
 * full windows, with and without dropout masks in place. Central differences with step 1e-5 are accurate to about
 * 1e-9 here (truncation ~h², rounding ~1e-16/h), far inside the tolerance, while a wrong term in the backward is off
 * by the term's size.
 */
class Gru4RecGradientTest {
    private static final int ITEMS = 7;
    private static final int LENGTH = 5;
    private static final double STEP = 1e-5;

    @Test
    void hiddenWiderThanItems() {
        check(new Gru4RecLayout(ITEMS, 4, 5, LENGTH), 0.0, 21);
    }

    @Test
    void hiddenNarrowerThanItemsWithDropout() {
        check(new Gru4RecLayout(ITEMS, 6, 3, LENGTH), 0.3, 22);
    }

    @Test
    void vectorWideShapesWithDropout() {
        // 3H = 24 columns: the matrix products run their vector loops, not only the scalar edges
        check(new Gru4RecLayout(ITEMS, 9, 8, LENGTH), 0.2, 23);
    }

    private static void check(Gru4RecLayout layout, double dropout, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Gru4RecNetwork network = new Gru4RecNetwork(layout, dropout, 1e-3, 0.5, random);
        double[] p = network.parameters();
        // non-zero biases, so no gradient term hides behind a 0
        layout.blocksByName().forEach((name, at) -> {
            if (name.endsWith("bias")) {
                for (int i = at[0]; i < at[0] + at[1]; i++) {
                    p[i] = (random.nextDouble() - 0.5) * 0.8;
                }
            }
        });
        Batch batch = batch(random);
        List<Gru4RecPass.Masks> masks = network.masks(batch, random);
        assertTrue((dropout == 0) == (masks == null), "masks drawn exactly when there is dropout");
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

    /**
     * Three windows: a full one, one with two padding positions, one with a single prediction; padding positions
     * hold arbitrary items, which must not matter.
     */
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
            for (int t = 0; t < LENGTH; t++) {
                inputs[r * LENGTH + t] = random.nextInt(ITEMS);
                if (t >= padding[r]) {
                    targets[r * LENGTH + t] = random.nextInt(ITEMS);
                    weights[r * LENGTH + t] = 1f / real;
                }
            }
        }
        return new Batch(rows, LENGTH, inputs, padding, targets, weights);
    }
}
