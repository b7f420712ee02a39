package org.recommender.tools.report;

import java.util.List;

/**
 * The parts every chart shares: the drawing area, the horizontal grid and the y axis, the x axis (numeric or one label per
 * category) and the legend under it. A chart asks it for the pixel ranges, builds its {@link Scale}s from them, draws its own
 * marks in between, and {@link #finish finishes} here.
 */
final class Plot {
    static final int WIDTH = 560;
    private static final int AREA_HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 14;
    private static final int BOTTOM = 44;
    private static final int LEGEND_ROW = 18;
    /** A rough width of one character at the legend's font size: enough to wrap entries without measuring text. */
    private static final int CHAR_WIDTH = 7;

    private final String xLabel;
    private final String yLabel;
    private final List<LegendEntry> legend;
    private final int legendRows;

    /**
     * One legend entry.
     *
     * @param name the text
     * @param colour its swatch
     */
    record LegendEntry(String name, String colour) {}

    Plot(String xLabel, String yLabel, List<LegendEntry> legend) {
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.legend = List.copyOf(legend);
        this.legendRows = layoutLegend(false, null);
    }

    double left() {
        return LEFT;
    }

    double right() {
        return WIDTH - RIGHT;
    }

    double top() {
        return TOP;
    }

    double bottom() {
        return TOP + AREA_HEIGHT - BOTTOM;
    }

    /** Opens the SVG (sized for the legend) and draws the grid, the y axis and the x axis line. */
    Svg begin(String title, Scale y) {
        Svg svg = new Svg(WIDTH, AREA_HEIGHT + 14 + legendRows * LEGEND_ROW, title);
        for (double tick : y.ticks()) {
            double py = y.map(tick);
            svg.line(left(), py, right(), py, "grid");
            svg.text(left() - 6, py + 4, y.label(tick), "end", "tick");
        }
        svg.line(left(), top(), left(), bottom(), "axis");
        svg.line(left(), bottom(), right(), bottom(), "axis");
        svg.verticalText(14, (top() + bottom()) / 2, yLabel, "label");
        svg.text((left() + right()) / 2, bottom() + 34, xLabel, "middle", "label");
        return svg;
    }

    /** Draws the ticks and labels of a numeric x axis. */
    void xAxis(Svg svg, Scale x) {
        for (double tick : x.ticks()) {
            double px = x.map(tick);
            svg.line(px, bottom(), px, bottom() + 5, "axis");
            svg.text(px, bottom() + 18, x.label(tick), "middle", "tick");
        }
    }

    /** Writes one label under each category centre, shortened so that neighbours do not overlap. */
    void categories(Svg svg, List<String> names, double[] centres, double band) {
        int room = Math.max(3, (int) (band / CHAR_WIDTH));
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            svg.text(centres[i], bottom() + 18, name.length() > room ? name.substring(0, room - 1) + "…" : name, "middle", "tick");
        }
    }

    /** Draws the legend and closes the SVG. */
    String finish(Svg svg) {
        layoutLegend(true, svg);
        return svg.close();
    }

    /** Places the entries left to right, wrapping when a row is full; draws them when asked. @return the rows used */
    private int layoutLegend(boolean draw, Svg svg) {
        if (legend.isEmpty()) {
            return 0;
        }
        double x = left();
        int row = 0;
        for (LegendEntry e : legend) {
            double w = 22 + CHAR_WIDTH * e.name().length();
            if (x + w > right() && x > left()) {
                row++;
                x = left();
            }
            if (draw) {
                // a row below the x axis label, so the two do not run together
                double y = AREA_HEIGHT + 26 + row * LEGEND_ROW;
                svg.rect(x, y - 9, 12, 12, e.colour(), null);
                svg.text(x + 16, y + 1, e.name(), "start", "legend");
            }
            x += w + 10;
        }
        return row + 1;
    }
}
