package org.recommender.tools.report;

import static org.recommender.tools.report.Text.escape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.recommender.tools.eval.EvaluationReport;
import org.recommender.tools.eval.MetricSummary;
import org.recommender.tools.eval.RunResult;

/**
 * The report's charts, section by section; each returns HTML (figures holding inline SVG), or a dash when the report holds
 * nothing to draw, so a report from a protocol without top-K metrics or without training curves still reads whole.
 */
final class ChartSections {
    /** Families shown as bars in the popularity-bias section rather than as accuracy curves. */
    private static final Set<String> POPULARITY = Set.of("coverage", "novelty");
    /** Positives and negatives in black and grey: no model's colour, so no chart suggests a model where there is none. */
    private static final String POSITIVE = "#222222";
    private static final String NEGATIVE = "#9a9a9a";
    /** Fewer cut-offs than this draw no curve (two points are a line that says nothing the summary table does not). */
    private static final int MIN_CURVE_POINTS = 3;

    private final EvaluationReport report;
    private final Map<String, Map<String, MetricSummary>> summary;
    private final List<String> models;

    ChartSections(EvaluationReport report) {
        this.report = report;
        this.summary = report.summary();
        this.models = List.copyOf(summary.keySet());
    }

    /** One line chart per top-K family (hr, ndcg, recall, …): mean against K, one line per model. */
    String metricCurves() {
        StringBuilder out = new StringBuilder();
        List<String> tooFew = new ArrayList<>();
        families(false).forEach((family, ks) -> {
            if (ks.size() < MIN_CURVE_POINTS) {
                tooFew.add(family);
                return;
            }
            LineChart chart = new LineChart("K", family + "@K").xTicks(ks.stream().map(Integer::doubleValue).toList());
            for (String model : models) {
                double[] x = new double[ks.size()];
                double[] y = new double[ks.size()];
                int i = 0;
                for (int k : ks) {
                    MetricSummary s = summary.get(model).get(family + "@" + k);
                    x[i] = k;
                    y[i++] = s == null ? Double.NaN : s.mean();
                }
                chart.add(new Series(model, colour(model), x, y, -1));
            }
            out.append(chart.isEmpty() ? "" : figure(chart.svg(family + "@K by model"), family + "@K, mean over seeds"));
        });
        if (out.isEmpty() && tooFew.isEmpty() == false) {
            return "<p class=\"note\">" + escape(String.join(", ", tooFew)) + ": fewer than " + MIN_CURVE_POINTS
                + " cut-offs, so no curves (the summary has the numbers); evaluate with e.g. --k 1,5,10,20 to draw them.</p>\n";
        }
        return charts(out);
    }

    /** Loss (and validation score, where measured) per epoch of each model's first run that has them; rings on the best epoch. */
    String trainingCurves() {
        LineChart loss = new LineChart("epoch", "training loss").integerX();
        LineChart validation = new LineChart("epoch", "validation score").integerX();
        for (String model : models) {
            firstRun(model, r -> r.loss() != null && !r.loss().isEmpty()).ifPresent(r -> loss.add(series(r, r.loss())));
            firstRun(model, r -> r.validation() != null && !r.validation().isEmpty()).ifPresent(r -> validation.add(series(r, r.validation())));
        }
        StringBuilder out = new StringBuilder();
        if (!loss.isEmpty()) {
            out.append(figure(loss.svg("training loss per epoch"), "Training loss per epoch (first seed; ring: epoch kept)"));
        }
        if (!validation.isEmpty()) {
            out.append(figure(validation.svg("validation score per epoch"), "Validation score per epoch (first seed; ring: epoch kept)"));
        }
        return charts(out);
    }

    /** Per model, the score densities of held-out positives and of negatives, overlaid: the less they overlap the better. */
    String scoreDistributions() {
        StringBuilder out = new StringBuilder();
        for (String model : models) {
            firstRun(model, r -> r.positiveScores() != null || r.negativeScores() != null).ifPresent(r -> {
                DensityChart chart = new DensityChart("score").add("positives", POSITIVE, r.positiveScores())
                    .add("negatives", NEGATIVE, r.negativeScores());
                if (!chart.isEmpty()) {
                    out.append(figure(chart.svg(model + " score distribution"), label(r)));
                }
            });
        }
        return charts(out);
    }

    /** Coverage@K and novelty@K as grouped bars per model (mean ± std): does a model only recommend the head? */
    String popularityBias() {
        StringBuilder out = new StringBuilder();
        families(true).forEach((family, ks) -> {
            List<String> names = ks.stream().map(k -> k == 0 ? family : family + "@" + k).toList();
            BarChart chart = new BarChart(family, names);
            for (String model : models) {
                double[] v = new double[names.size()];
                double[] e = new double[names.size()];
                for (int j = 0; j < names.size(); j++) {
                    MetricSummary s = summary.get(model).get(names.get(j));
                    v[j] = s == null ? Double.NaN : s.mean();
                    e[j] = s == null ? Double.NaN : s.std();
                }
                chart.add(model, v, e);
            }
            out.append(figure(chart.svg(family + " by model"), family + " by model, mean ± std over seeds"));
        });
        return charts(out);
    }

    /** @return family → its cut-offs ascending, for the top-K families ({@code popularity} false) or coverage/novelty (true) */
    private Map<String, List<Integer>> families(boolean popularity) {
        Map<String, Set<Integer>> found = new LinkedHashMap<>();
        for (String metric : report.metricNames()) {
            MetricName name = MetricName.parse(metric);
            boolean pop = POPULARITY.contains(name.family());
            if (pop == popularity && (pop || name.k() > 0)) {
                found.computeIfAbsent(name.family(), f -> new TreeSet<>()).add(name.k());
            }
        }
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        found.forEach((f, ks) -> out.put(f, List.copyOf(ks)));
        return out;
    }

    private java.util.Optional<RunResult> firstRun(String model, java.util.function.Predicate<RunResult> has) {
        return report.runs().stream().filter(r -> r.model().equals(model) && has.test(r)).findFirst();
    }

    private Series series(RunResult run, List<Double> values) {
        double[] x = new double[values.size()];
        double[] y = new double[values.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1; // epochs are 1-based, as TrainingControl numbers them
            Double v = values.get(i);
            y[i] = v == null ? Double.NaN : v;
        }
        return new Series(label(run), colour(run.model()), x, y, run.bestEpoch() - 1);
    }

    /** @return the model, and its seed when it has one */
    private static String label(RunResult run) {
        return run.model() + (run.seed() == null ? "" : " (seed " + run.seed() + ")");
    }

    private String colour(String model) {
        return Palette.colour(models.indexOf(model));
    }

    private static String figure(String svg, String caption) {
        return "<figure>\n" + svg + "\n<figcaption>" + escape(caption) + "</figcaption>\n</figure>\n";
    }

    private static String charts(StringBuilder figures) {
        return figures.isEmpty() ? "<p class=\"none\">" + Text.MISSING + "</p>\n" : "<div class=\"charts\">\n" + figures + "</div>\n";
    }
}
