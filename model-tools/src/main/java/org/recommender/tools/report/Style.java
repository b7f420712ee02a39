package org.recommender.tools.report;

/** The report's stylesheet, inline so the page needs nothing else; the SVG classes ({@code grid}, {@code tick}, …) live here too. */
final class Style {
    static final String CSS = """
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
               max-width: 1200px; margin: 24px auto; padding: 0 16px; }
        h1 { font-size: 22px; margin: 0 0 4px; overflow-wrap: anywhere; }
        h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        .meta, .note { color: #555; }
        table { border-collapse: collapse; margin: 8px 0; }
        th, td { padding: 4px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #bbb; white-space: nowrap; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .settings th { font-weight: normal; color: #555; }
        .settings td { overflow-wrap: anywhere; }
        .summary td.best { background: #eef5e9; }
        .summary .spread { display: block; font-size: 11px; color: #666; font-weight: normal; }
        .runs { font-size: 12px; }
        .table-wrap { overflow-x: auto; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        figure { margin: 0; }
        figcaption { font-size: 12px; color: #555; text-align: center; max-width: 560px; }
        .none { color: #888; }
        svg.chart { background: #fff; }
        svg .grid { stroke: #ececec; }
        svg .axis { stroke: #555; }
        svg .whisker { stroke: #222; stroke-width: 1.5; }
        svg .tick { font-size: 11px; fill: #444; }
        svg .label { font-size: 12px; fill: #222; }
        svg .legend { font-size: 12px; fill: #222; }
        svg .series { stroke-width: 2; stroke-linejoin: round; }
        svg .area { fill-opacity: 0.35; stroke-width: 1.5; }
        """;

    private Style() {}
}
