package org.recommender.tools.report;

import java.util.Locale;

/**
 * Escaping and number formatting shared by the HTML and the SVG: every piece of text the report writes passes through here, so
 * a model called {@code a<b&c} or a dataset path with quotes cannot break the markup, and numbers never depend on the
 * machine's locale (a German default would write {@code 0,5}).
 */
final class Text {
    /** Shown wherever a value is missing or not a number. */
    static final String MISSING = "—";

    private Text() {}

    /** @return {@code s} safe inside an element or a quoted attribute, in HTML and in XML alike; {@code null} gives "" */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                // control characters are not allowed in XML 1.0, so an SVG holding one would not parse
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? ' ' : c);
            }
        }
        return out.toString();
    }

    /** @return a metric value with 4 decimals (enough to tell models apart), or {@link #MISSING} for NaN and infinities */
    static String metric(double v) {
        if (!Double.isFinite(v)) {
            return MISSING;
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 1000 ? "%.1f" : "%.4f", v);
    }

    /** @return {@code v} with {@code decimals} decimals, or {@link #MISSING} when not finite */
    static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : MISSING;
    }

    /** @return an SVG coordinate: one decimal keeps the file small and is finer than a pixel */
    static String coord(double v) {
        return String.format(Locale.ROOT, "%.1f", Double.isFinite(v) ? v : 0);
    }
}
