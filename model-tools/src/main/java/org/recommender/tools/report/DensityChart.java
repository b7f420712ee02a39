package org.recommender.tools.report;

import java.util.ArrayList;
import java.util.List;
import org.recommender.tools.eval.Histogram;

/**
 * Histograms overlaid as translucent step areas, each normalised to a density (area 1) so that a few hundred held-out
 * positives and many thousand sampled negatives can be compared by shape, whatever their counts and bin widths.
 */
final class DensityChart {
    private final String xLabel;
    private final List<String> names = new ArrayList<>();
    private final List<String> colours = new ArrayList<>();
    private final List<Histogram> histograms = new ArrayList<>();

    DensityChart(String xLabel) {
        this.xLabel = xLabel;
    }

    /** Adds a histogram; a null or empty one is left out, so callers need not check. */
    DensityChart add(String name, String colour, Histogram h) {
        if (h != null && total(h) > 0 && Double.isFinite(h.min()) && Double.isFinite(h.max()) && h.max() > h.min()) {
            names.add(name);
            colours.add(colour);
            histograms.add(h);
        }
        return this;
    }

    /** @return true when nothing was added that could be drawn */
    boolean isEmpty() {
        return histograms.isEmpty();
    }

    /** @return the chart as an SVG element, described by {@code title} */
    String svg(String title) {
        List<Plot.LegendEntry> legend = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double top = 0;
        for (int i = 0; i < histograms.size(); i++) {
            Histogram h = histograms.get(i);
            legend.add(new Plot.LegendEntry(names.get(i), colours.get(i)));
            lo = Math.min(lo, h.min());
            hi = Math.max(hi, h.max());
            for (double d : densities(h)) {
                top = Math.max(top, d);
            }
        }
        Plot plot = new Plot(xLabel, "density", legend);
        Scale x = Scale.nice(lo, hi, plot.left(), plot.right(), false);
        Scale y = Scale.nice(0, top, plot.bottom(), plot.top(), false);
        Svg svg = plot.begin(title, y);
        plot.xAxis(svg, x);
        for (int i = 0; i < histograms.size(); i++) {
            step(svg, histograms.get(i), colours.get(i), x, y);
        }
        return plot.finish(svg);
    }

    /** Draws the outline of the bins as one closed polygon down to the zero line, filled half-transparent. */
    private static void step(Svg svg, Histogram h, String colour, Scale x, Scale y) {
        double[] d = densities(h);
        double width = (h.max() - h.min()) / d.length;
        int n = 2 * d.length + 2;
        double[] px = new double[n];
        double[] py = new double[n];
        px[0] = x.map(h.min());
        py[0] = y.map(0);
        for (int b = 0; b < d.length; b++) {
            px[2 * b + 1] = x.map(h.min() + b * width);
            px[2 * b + 2] = x.map(h.min() + (b + 1) * width);
            py[2 * b + 1] = py[2 * b + 2] = y.map(d[b]);
        }
        px[n - 1] = x.map(h.max());
        py[n - 1] = y.map(0);
        svg.path(px, py, n, colour, colour, "area");
    }

    /** @return count / (total × bin width) per bin: the heights under which the area is 1 */
    private static double[] densities(Histogram h) {
        long total = total(h);
        double width = (h.max() - h.min()) / h.counts().length;
        double[] d = new double[h.counts().length];
        for (int b = 0; b < d.length; b++) {
            d[b] = h.counts()[b] / (total * width);
        }
        return d;
    }

    private static long total(Histogram h) {
        long t = 0;
        for (long c : h.counts()) {
            t += c;
        }
        return t;
    }
}
