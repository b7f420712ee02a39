package org.recommender.tools.report;

import java.util.List;

/**
 * The colours of the charts (Tableau 10: distinct, and readable by most colour-blind readers). A model keeps its colour in every
 * chart because callers pick it by the model's position in the summary, not by its position in one chart.
 */
final class Palette {
    private static final List<String> COLOURS = List.of("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
        "#ff9da7", "#9c755f", "#bab0ac");

    private Palette() {}

    /** @return the {@code i}-th colour, cycling when there are more series than colours */
    static String colour(int i) {
        return COLOURS.get(Math.floorMod(i, COLOURS.size()));
    }
}
