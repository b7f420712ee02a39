package org.recommender.tools.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear map from data values to pixels, with the tick values to label its axis. Every chart builds its axes from these so
 * that they all round their ranges and format their ticks the same way.
 */
final class Scale {
    private final double lo;
    private final double hi;
    private final double from;
    private final double to;
    private final List<Double> ticks;
    private final int decimals;

    private Scale(double lo, double hi, double from, double to, List<Double> ticks, int decimals) {
        this.lo = lo;
        this.hi = hi;
        this.from = from;
        this.to = to;
        this.ticks = ticks;
        this.decimals = decimals;
    }

    /**
     * A scale over {@code [min, max]} widened to round tick values (steps of 1, 2 or 5 times a power of ten), so axes read
     * 0.2, 0.4, … rather than 0.187, 0.374.
     *
     * @param integers true when only whole numbers make sense (epochs): the step is then at least 1
     */
    static Scale nice(double min, double max, double from, double to, boolean integers) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            min = 0;
            max = 1;
        }
        if (max <= min) {
            // one value (or none): still draw an axis around it instead of dividing by zero
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        // about 4 to 8 ticks: enough to read values off, few enough to leave room for their labels
        double step = niceStep((max - min) / 4);
        if (integers) {
            step = Math.max(1, Math.rint(step));
        }
        double lo = Math.floor(min / step + 1e-9) * step;
        double hi = Math.ceil(max / step - 1e-9) * step;
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; lo + i * step <= hi + step * 1e-6; i++) {
            ticks.add(lo + i * step);
        }
        return new Scale(lo, hi, from, to, ticks, Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9)));
    }

    /** A scale over {@code [min, max]} labelled exactly at {@code ticks}, e.g. at the cut-offs K = 5, 10, 20. */
    static Scale at(List<Double> ticks, double from, double to) {
        double min = ticks.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = ticks.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (max <= min) {
            min -= 1;
            max += 1;
        }
        boolean whole = ticks.stream().allMatch(t -> t == Math.rint(t));
        return new Scale(min, max, from, to, List.copyOf(ticks), whole ? 0 : 2);
    }

    private static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double f = rough / power;
        return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
    }

    /** @return the pixel position of {@code v} */
    double map(double v) {
        return from + (v - lo) / (hi - lo) * (to - from);
    }

    /** @return the lower end of the (widened) domain */
    double min() {
        return lo;
    }

    /** @return the values to draw ticks at */
    List<Double> ticks() {
        return ticks;
    }

    /** @return a tick's label, with just enough decimals for the step */
    String label(double tick) {
        return Text.fixed(Math.abs(tick) < 1e-12 ? 0 : tick, decimals);
    }
}
