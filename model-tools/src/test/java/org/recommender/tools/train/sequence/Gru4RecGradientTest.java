package org.recommender.tools.train.sequence;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.recommender.tools.train.sequence.FiniteDifferences.LENGTH;

/**
 * The hand-written GRU4Rec backward pass (backpropagation through time) against central finite differences of its
 * own loss ({@link FiniteDifferences}) for every single parameter of every block (item table, the GRU's input and
 * hidden weights and biases, the output layer), on tiny shapes — hidden width below, equal to and above d — with
 * padded and full windows, with and without dropout masks in place.
 */
class Gru4RecGradientTest {
    private static final int ITEMS = 7;

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
        FiniteDifferences.checkEveryParameter(network, ITEMS, dropout, random);
    }
}
