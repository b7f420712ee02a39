package org.recommender.tools.train.sequence;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.recommender.tools.train.sequence.FiniteDifferences.LENGTH;

/**
 * The hand-written SASRec backward pass against central finite differences of its own loss
 * ({@link FiniteDifferences}) for every single parameter of every block (item table, positions, each block's twelve,
 * the final norm), on tiny shapes with one and two blocks, one and two heads, a feed-forward width unlike d, padded
 * and full windows, with and without dropout masks in place.
 */
class SasRecGradientTest {
    private static final int ITEMS = 7;

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
        FiniteDifferences.checkEveryParameter(network, ITEMS, dropout, random);
    }
}
