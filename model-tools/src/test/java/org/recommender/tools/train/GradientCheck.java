package org.recommender.tools.train;

import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient tests' check of a hand-written backward pass (the sequence networks', ELSA's): the analytic gradient
 * against central finite differences of the same loss, in double precision, for every single parameter of a block.
 * Central differences with step 1e-5 are accurate to about 1e-9 on the tests' tiny shapes (truncation ~h², rounding
 * ~1e-16/h), far inside the tolerance, while a wrong term in the backward is off by the term's size.
 */
public final class GradientCheck {
    private static final double STEP = 1e-5;

    private GradientCheck() {}

    /**
     * Checks parameters {@code p[from]} … {@code p[from + length − 1]}, perturbing and restoring each in turn, and that
     * some gradient of the block is above 1e-4 (so the check compared something).
     *
     * @param block names the block in messages
     * @param analytic the backward pass's gradient, laid out as {@code p}
     * @param loss the loss at the current {@code p}
     */
    public static void block(String block, double[] p, int from, int length, double[] analytic, DoubleSupplier loss) {
        double largest = 0;
        for (int i = from; i < from + length; i++) {
            double saved = p[i];
            p[i] = saved + STEP;
            double up = loss.getAsDouble();
            p[i] = saved - STEP;
            double down = loss.getAsDouble();
            p[i] = saved;
            double numeric = (up - down) / (2 * STEP);
            largest = Math.max(largest, Math.abs(numeric));
            assertTrue(Math.abs(numeric - analytic[i]) <= 1e-7 + 1e-5 * Math.abs(numeric),
                block + "[" + (i - from) + "]: analytic " + analytic[i] + ", finite differences " + numeric);
        }
        assertTrue(largest > 1e-4, block + ": no gradient above 1e-4 (" + largest + ")");
    }
}
