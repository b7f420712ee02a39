package org.recommender.tools.train.params;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the declared hyper-parameters of each algorithm as the table {@code --help} ends with. */
public final class ParameterHelp {
    private ParameterHelp() {}

    /**
     * @param algorithms algorithm name → its declared parameters, in the order to list them
     * @param prefixed whether {@code -P} takes the algorithm as a prefix ({@code evaluate}: {@code -P ials.alpha=20})
     * @return lines: per algorithm, each parameter's option, default, range and help; an algorithm without
     *     parameters says so
     */
    public static List<String> lines(Map<String, List<HyperParameter<?>>> algorithms, boolean prefixed) {
        List<String> lines = new ArrayList<>();
        lines.add(prefixed ? "Hyper-parameters (-P ALGO.NAME=VALUE; --dims and --epochs apply to every algorithm, -P ALGO.dims / ALGO.epochs to one):"
            : "Hyper-parameters of each --algorithm (-P NAME=VALUE unless an option is shown):");
        lines.add(String.format(Locale.ROOT, "  %-28s %-10s %-28s %s", "", "default", "range", ""));
        algorithms.forEach((algorithm, parameters) -> {
            lines.add("  " + algorithm + (parameters.isEmpty() ? ": no parameters" : ":"));
            for (HyperParameter<?> p : parameters) {
                String option = p.hasOwnOption() ? p.option() : "-P " + (prefixed ? algorithm + "." : "") + p.name();
                lines.add(String.format(Locale.ROOT, "    %-26s %-10s %-28s %s", option, defaultText(p), p.range(), p.help()));
            }
        });
        return lines;
    }

    /**
     * @param algorithms algorithm name → its declared parameters
     * @return lines: per algorithm, each searched parameter's option, default and search range ({@code tune --help});
     *     an algorithm without search ranges is left out
     */
    public static List<String> searchLines(Map<String, List<HyperParameter<?>>> algorithms) {
        List<String> lines = new ArrayList<>();
        lines.add("Search ranges tune draws from (a parameter given with -P, --dims or --epochs is fixed instead; epochs only under random search):");
        algorithms.forEach((algorithm, parameters) -> {
            List<HyperParameter<?>> searched = parameters.stream().filter(p -> p.search() != null).toList();
            if (searched.isEmpty() == false) {
                lines.add("  " + algorithm + ":");
                for (HyperParameter<?> p : searched) {
                    String option = p.hasOwnOption() ? p.option() : "-P " + p.name();
                    lines.add(String.format(Locale.ROOT, "    %-26s %-10s %s", option, defaultText(p), p.search().describe()));
                }
            }
        });
        return lines;
    }

    private static <T> String defaultText(HyperParameter<T> p) {
        return p.format(p.defaultValue());
    }
}
