package org.recommender.tools.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Grouped bars: one group per category (model), one bar per group member (a cut-off, say coverage@5, @10, @20), with a
 * whisker of ± one standard deviation where there is one. Missing values leave a gap rather than a zero-height bar that would
 * read as a measured zero.
 */
final class BarChart {
    private final String yLabel;
    private final List<String> members;
    private final List<String> categories = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();
    private final List<double[]> errors = new ArrayList<>();

    /** @param members the bars of each group, in order: the legend */
    BarChart(String yLabel, List<String> members) {
        this.yLabel = yLabel;
        this.members = List.copyOf(members);
    }

    /** Adds a group: {@code values[j]} ± {@code errors[j]} for member {@code j}; NaN for a missing value. */
    BarChart add(String category, double[] values, double[] errors) {
        if (values.length != members.size() || errors.length != members.size()) {
            throw new IllegalArgumentException("expected " + members.size() + " values and errors for " + category);
        }
        categories.add(category);
        this.values.add(values.clone());
        this.errors.add(errors.clone());
        return this;
    }

    /** @return the chart as an SVG element, described by {@code title} */
    String svg(String title) {
        List<Plot.LegendEntry> legend = new ArrayList<>();
        for (int j = 0; j < members.size(); j++) {
            legend.add(new Plot.LegendEntry(members.get(j), Palette.colour(j)));
        }
        Plot plot = new Plot("", yLabel, legend);
        Scale y = yScale(plot);
        Svg svg = plot.begin(title, y);
        double band = (plot.right() - plot.left()) / Math.max(1, categories.size());
        // capped: with few models a bar filling its whole band looks like a block, not a bar
        double bar = Math.min(48, band * 0.8 / Math.max(1, members.size()));
        double group = bar * members.size();
        double[] centres = new double[categories.size()];
        double base = y.map(Math.max(0, y.min()));
        for (int i = 0; i < categories.size(); i++) {
            centres[i] = plot.left() + band * (i + 0.5);
            for (int j = 0; j < members.size(); j++) {
                double v = values.get(i)[j];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = centres[i] - group / 2 + bar * j;
                double top = y.map(v);
                String tip = categories.get(i) + " " + members.get(j) + ": " + Text.metric(v);
                svg.rect(x + 1, Math.min(top, base), bar - 2, Math.abs(base - top), Palette.colour(j), tip);
                double e = errors.get(i)[j];
                if (Double.isFinite(e) && e > 0) {
                    svg.line(x + bar / 2, y.map(v - e), x + bar / 2, y.map(v + e), "whisker");
                }
            }
        }
        plot.categories(svg, categories, centres, band);
        return plot.finish(svg);
    }

    /** A y scale from zero (bars must start at zero to compare lengths) to the highest bar or whisker. */
    private Scale yScale(Plot plot) {
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < values.size(); i++) {
            for (int j = 0; j < members.size(); j++) {
                double v = values.get(i)[j];
                double e = Double.isFinite(errors.get(i)[j]) ? errors.get(i)[j] : 0;
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v - e);
                    hi = Math.max(hi, v + e);
                }
            }
        }
        return Scale.nice(lo, hi, plot.bottom(), plot.top(), false);
    }
}
