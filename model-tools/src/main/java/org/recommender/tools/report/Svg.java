package org.recommender.tools.report;

import static org.recommender.tools.report.Text.coord;
import static org.recommender.tools.report.Text.escape;

/**
 * Writes one {@code <svg>} element: a handful of shapes with every attribute quoted and every text escaped, so that the
 * result is well-formed XML as well as HTML (and shows in any browser without scripts).
 */
final class Svg {
    private final StringBuilder out = new StringBuilder(4096);

    /** Opens an SVG of {@code width × height} pixels, described by {@code label} for screen readers. */
    Svg(int width, int height, String label) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").append(width).append("\" height=\"")
            .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
            .append(escape(label)).append("\">\n");
        out.append("<title>").append(escape(label)).append("</title>\n");
    }

    /** Draws a line; {@code cls} picks its style from the page's stylesheet. */
    Svg line(double x1, double y1, double x2, double y2, String cls) {
        out.append("<line class=\"").append(cls).append("\" x1=\"").append(coord(x1)).append("\" y1=\"").append(coord(y1))
            .append("\" x2=\"").append(coord(x2)).append("\" y2=\"").append(coord(y2)).append("\"/>\n");
        return this;
    }

    /** Draws a filled rectangle with a tooltip ({@code tip} may be null). */
    Svg rect(double x, double y, double w, double h, String fill, String tip) {
        out.append("<rect x=\"").append(coord(x)).append("\" y=\"").append(coord(y)).append("\" width=\"").append(coord(Math.max(0, w)))
            .append("\" height=\"").append(coord(Math.max(0, h))).append("\" fill=\"").append(fill).append('"');
        return tip == null ? end("/>\n") : end("><title>" + escape(tip) + "</title></rect>\n");
    }

    /** Writes {@code text} anchored at {@code start}, {@code middle} or {@code end}. */
    Svg text(double x, double y, String text, String anchor, String cls) {
        out.append("<text class=\"").append(cls).append("\" x=\"").append(coord(x)).append("\" y=\"").append(coord(y))
            .append("\" text-anchor=\"").append(anchor).append("\">").append(escape(text)).append("</text>\n");
        return this;
    }

    /** Writes {@code text} turned a quarter to the left around its position: the label of a vertical axis. */
    Svg verticalText(double x, double y, String text, String cls) {
        out.append("<text class=\"").append(cls).append("\" text-anchor=\"middle\" transform=\"translate(").append(coord(x)).append(',')
            .append(coord(y)).append(") rotate(-90)\">").append(escape(text)).append("</text>\n");
        return this;
    }

    /** Draws a polyline through the points; {@code fill} null leaves it open (a line), otherwise it is a filled shape. */
    Svg path(double[] xs, double[] ys, int n, String stroke, String fill, String cls) {
        out.append(fill == null ? "<polyline" : "<polygon").append(" class=\"").append(cls).append("\" stroke=\"").append(stroke)
            .append("\" fill=\"").append(fill == null ? "none" : fill).append("\" points=\"");
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : " ").append(coord(xs[i])).append(',').append(coord(ys[i]));
        }
        return end("\"/>\n");
    }

    /** Draws a dot with a tooltip ({@code tip} may be null); {@code fill} null draws a ring (the line under it stays visible). */
    Svg circle(double x, double y, double r, String stroke, String fill, String tip) {
        out.append("<circle cx=\"").append(coord(x)).append("\" cy=\"").append(coord(y)).append("\" r=\"").append(coord(r))
            .append("\" stroke=\"").append(stroke).append("\" fill=\"").append(fill == null ? "none\" stroke-width=\"2" : fill).append('"');
        return tip == null ? end("/>\n") : end("><title>" + escape(tip) + "</title></circle>\n");
    }

    private Svg end(String s) {
        out.append(s);
        return this;
    }

    /** @return the finished element */
    String close() {
        return out.append("</svg>").toString();
    }
}
