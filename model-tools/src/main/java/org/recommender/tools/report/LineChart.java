package org.recommender.tools.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines over a numeric x axis, one per {@link Series}, with a legend: metric@K against K, or loss against epoch. A series'
 * marked point (the best epoch) is drawn as a ring so early stopping's choice is visible on the curve.
 */
final class LineChart {
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private List<Double> xTicks;
    private boolean integerX;

    LineChart(String xLabel, String yLabel) {
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Labels the x axis exactly at these values (the cut-offs K), instead of at round numbers. */
    LineChart xTicks(List<Double> ticks) {
        this.xTicks = List.copyOf(ticks);
        return this;
    }

    /** Keeps x ticks on whole numbers (epochs). */
    LineChart integerX() {
        this.integerX = true;
        return this;
    }

    LineChart add(Series s) {
        series.add(s);
        return this;
    }

    /** @return true when no series has a single finite point: the caller then shows a dash instead of an empty frame */
    boolean isEmpty() {
        return series.stream().noneMatch(s -> {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    return true;
                }
            }
            return false;
        });
    }

    /** @return the chart as an SVG element, described by {@code title} */
    String svg(String title) {
        Plot plot = new Plot(xLabel, yLabel, series.stream().map(s -> new Plot.LegendEntry(s.name(), s.colour())).toList());
        double[] xr = range(true);
        double[] yr = range(false);
        Scale x = xTicks != null ? Scale.at(xTicks, plot.left() + 12, plot.right() - 12)
            : Scale.nice(xr[0], xr[1], plot.left(), plot.right(), integerX);
        // a little room above and below, so the lowest and highest lines do not lie on the frame
        double pad = (yr[1] - yr[0]) * 0.05;
        Scale y = Scale.nice(yr[0] - pad, yr[1] + pad, plot.bottom(), plot.top(), false);
        Svg svg = plot.begin(title, y);
        plot.xAxis(svg, x);
        for (Series s : series) {
            draw(svg, s, x, y);
        }
        return plot.finish(svg);
    }

    /** Draws the series as runs of finite points, so a NaN breaks the line instead of pulling it to zero. */
    private static void draw(Svg svg, Series s, Scale x, Scale y) {
        int n = s.x().length;
        double[] px = new double[n];
        double[] py = new double[n];
        int run = 0;
        for (int i = 0; i <= n; i++) {
            boolean ok = i < n && Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]);
            if (ok) {
                px[run] = x.map(s.x()[i]);
                py[run++] = y.map(s.y()[i]);
            } else if (run > 0) {
                svg.path(px, py, run, s.colour(), null, "series");
                // single points and short lines are hard to see without dots; long curves read better without them
                for (int j = 0; n <= 30 && j < run; j++) {
                    svg.circle(px[j], py[j], 2.5, s.colour(), s.colour(), null);
                }
                run = 0;
            }
        }
        int m = s.mark();
        if (m >= 0 && m < n && Double.isFinite(s.x()[m]) && Double.isFinite(s.y()[m])) {
            svg.circle(x.map(s.x()[m]), y.map(s.y()[m]), 7, s.colour(), null,
                s.name() + ": best at " + Text.metric(s.x()[m]).replaceAll("\\.0+$", "") + " (" + Text.metric(s.y()[m]) + ")");
        }
    }

    /** @return {min, max} of the finite x (or y) values over all series */
    private double[] range(boolean ofX) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double v = ofX ? s.x()[i] : s.y()[i];
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return new double[] { lo, hi };
    }
}
