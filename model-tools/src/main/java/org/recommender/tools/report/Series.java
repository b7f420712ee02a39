package org.recommender.tools.report;

/**
 * One line of a {@link LineChart}: points {@code (x[i], y[i])}; non-finite values leave a gap.
 *
 * @param name the legend entry
 * @param colour a CSS colour
 * @param x the x values
 * @param y the y values, same length as {@code x}
 * @param mark index of a point to ring (the best epoch), or -1
 */
record Series(String name, String colour, double[] x, double[] y, int mark) {
    Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        }
    }
}
