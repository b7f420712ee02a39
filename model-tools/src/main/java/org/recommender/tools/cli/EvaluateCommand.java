package org.recommender.tools.cli;

import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.NcfNegatives;
import org.recommender.tools.data.NcfNegativesReader;
import org.recommender.tools.eval.EvaluationReport;
import org.recommender.tools.eval.Fold;
import org.recommender.tools.eval.MetricSummary;
import org.recommender.tools.eval.Protocol;
import org.recommender.tools.eval.ProtocolSettings;
import org.recommender.tools.eval.RankingEvaluator;
import org.recommender.tools.eval.RunResult;
import org.recommender.tools.output.OutputDirectory;
import org.recommender.tools.train.EpochValidator;
import org.recommender.tools.tune.ChosenSettings;
import org.recommender.tools.train.registry.Algorithms;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.HyperParameterException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code model-tools evaluate}: trains every requested algorithm (and the popularity baseline) under one published
 * protocol, with several seeds, and writes the numbers as {@code report.json} and a readable {@code report.html}.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Train and evaluate algorithms under a standard protocol and write report.json and report.html.",
        "Protocols: ncf (leave-latest-out, 99 sampled negatives, or the release's .negative file), random and temporal "
            + "(per-user 80/10/10 split, full ranking), rating-kfold (k-fold RMSE / MAE).",
        "Example: model-tools evaluate --data user_artists.dat --protocol random --algorithms popularity,bpr,ials --seeds 1,2,3 --out eval/" }
)
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "random",
        description = "ncf, random, temporal, sequential or rating-kfold (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--algorithms", paramLabel = "A,B,…", split = ",", defaultValue = "popularity,bpr,ials",
        description = "Algorithms to compare (default: ${DEFAULT-VALUE}); popularity is added to ranking protocols if missing.")
    List<String> algorithms;

    @Option(names = "--seeds", paramLabel = "S,…", split = ",", defaultValue = "1",
        description = "Training seeds; each algorithm is trained once per seed and reported as mean ± std (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--k", paramLabel = "K,…", split = ",", defaultValue = "5,10,20", description = "Top-K cut-offs (default: ${DEFAULT-VALUE}).")
    int[] ks;

    @Option(names = "--negatives", paramLabel = "N", defaultValue = "99", description = "ncf: sampled negatives per user (default: ${DEFAULT-VALUE}).")
    int negatives;

    @Option(names = "--negatives-file", paramLabel = "FILE",
        description = "ncf: the release's *.test.negative file; its held-out items are the test set and --data is the matching *.train.rating.")
    Path negativesFile;

    @Option(names = "--split", paramLabel = "TRAIN,VALID,TEST", split = ",", defaultValue = "0.8,0.1,0.1",
        description = "random/temporal: per-user shares (default: ${DEFAULT-VALUE}).")
    double[] split;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "5", description = "rating-kfold: number of folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--split-seed", paramLabel = "SEED", defaultValue = "2020",
        description = "Seed of the split and of sampled negatives, fixed across training seeds (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Mixin
    EarlyStoppingOptions earlyStopping;

    @Option(names = "--dims", paramLabel = "N", description = "Embedding dimension for every algorithm (default: each algorithm's own).")
    Integer dims;

    @Option(names = "--epochs", paramLabel = "N", description = "Maximum epochs for every algorithm (default: each algorithm's own).")
    Integer epochs;

    @Option(names = { "-P", "--param" }, paramLabel = "ALGO.NAME=VALUE",
        description = "An algorithm's hyper-parameter, e.g. -P ials.alpha=20 -P bpr.learning_rate=0.03 (each algorithm's are listed below).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--settings", paramLabel = "FILE",
        description = "A chosen.json written by tune: its algorithm is evaluated with the chosen parameters (a -P given here wins); "
            + "without --algorithms, it and popularity are all that is evaluated.")
    Path settingsFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where report.json and report.html go (created if missing).")
    Path out;

    @Option(names = { "-q", "--quiet" }, description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Protocol p = Protocol.fromName(protocol);
        ProtocolSettings settings = settings(p);
        ChosenSettings chosen = settingsFile == null ? null : ChosenSettings.read(settingsFile);
        List<String> names = algorithmNames(p, chosen);
        Map<String, Map<String, String>> byAlgorithm = parametersByAlgorithm(names);
        if (chosen != null) {
            Map<String, String> own = byAlgorithm.get(chosen.algorithm());
            chosen.parameters().forEach(own::putIfAbsent);
            stderr.printf(Locale.ROOT, "%s: settings from %s (%s)%n", chosen.algorithm(), settingsFile, chosen.selection());
        }
        // build every trainer once before loading, so a typo fails in a second, not after an hour of training
        for (String name : names) {
            Trainer trainer = create(name, byAlgorithm, seeds.get(0));
            try {
                p.requireOrderFor(name, trainer.needsOrder());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        OutOption.require(spec, out, OutputDirectory::requireUsable);
        Interactions log = data.load(quiet, stderr);
        if (negativesFile != null) {
            NcfNegatives tests = NcfNegativesReader.read(negativesFile, log.users(), log.items());
            stderr.printf(Locale.ROOT, "read %,d test cases from %s (%,d had their held-out item among the negatives)%n", tests.size(), negativesFile,
                tests.positiveAmongNegatives());
            settings = new ProtocolSettings(settings.ks(), settings.splitSeed(), settings.negatives(), tests, settings.validationRatio(),
                settings.testRatio(), settings.folds(), settings.patience());
        }
        List<Fold> folds = p.folds(log, settings);
        List<RunResult> runs = new ArrayList<>();
        Files.createDirectories(out);
        for (String name : names) {
            boolean seeded = create(name, byAlgorithm, 1).usesSeed();
            // every protocol honours --seeds, rating-kfold too: a sampler such as BPMF varies with its seed, and a
            // table should show by how much beside the folds' spread
            for (long seed : seeded ? seeds : seeds.subList(0, 1)) {
                for (Fold fold : folds) {
                    Trainer trainer = create(name, byAlgorithm, seed);
                    String label = name + (seeds.size() > 1 ? " seed " + seed : "") + (fold.label().isEmpty() ? "" : " " + fold.label());
                    // without early stopping the validation split stays held out, unused, so the test set is the same either way
                    EpochValidator validator = settings.patience() > 0 ? fold.validator() : null;
                    TrainingRun run = TrainingRun.of(trainer, fold.split().train(), validator, Math.max(settings.patience(), 1), label, quiet, stderr);
                    RankingEvaluator.Outcome outcome = fold.test().apply(run.model());
                    Map<String, Object> parameters = new LinkedHashMap<>(trainer.parameters());
                    if (fold.label().isEmpty() == false) {
                        parameters.put("fold", fold.label());
                    }
                    runs.add(new RunResult(name, seeded ? Long.valueOf(seed) : null, parameters, outcome.metrics(), outcome.users(), run.seconds(), run.control().losses().size(),
                        run.control().bestEpoch(), run.control().losses(), run.control().validationScores(), outcome.positiveScores(),
                        outcome.negativeScores()));
                    stderr.printf(Locale.ROOT, "%s: %s in %.1f s%n", label, headline(outcome.metrics(), p), run.seconds());
                    stderr.flush();
                    // after every run, so an evaluation stopped half-way keeps everything it measured
                    ReportFiles.write(report(p, settings, log, runs, chosen), out);
                }
            }
        }
        EvaluationReport report = report(p, settings, log, runs, chosen);
        printSummary(stdout, report, p);
        stdout.printf("wrote %s and %s%n", out.resolve(ReportFiles.JSON), out.resolve(ReportFiles.HTML));
        return ExitCodes.OK;
    }

    private EvaluationReport report(Protocol p, ProtocolSettings settings, Interactions log, List<RunResult> runs, ChosenSettings chosen) {
        Map<String, Object> recorded = new LinkedHashMap<>(p.settings(settings, log));
        if (chosen != null) {
            // how the numbers' settings were chosen belongs with the numbers (issue 18)
            recorded.put("settings_chosen", chosen.algorithm() + ": " + chosen.selection() + " (" + settingsFile.getFileName() + ")");
        }
        return new EvaluationReport(data.describe(), p.externalName(), p.describe(settings), recorded,
            java.util.Arrays.stream(settings.ks()).boxed().toList(), List.copyOf(runs));
    }

    /**
     * Builds a trainer; {@code -P algo.dims=N} and {@code -P algo.epochs=N} override {@code --dims} / {@code --epochs}
     * for that algorithm alone (e.g. fewer epochs for the slow neural models).
     */
    private Trainer create(String name, Map<String, Map<String, String>> byAlgorithm, long seed) {
        Map<String, String> own = new LinkedHashMap<>(byAlgorithm.get(name));
        String ownDims = own.remove(HyperParameter.DIMS);
        String ownEpochs = own.remove(HyperParameter.EPOCHS);
        Integer d = override(ownDims, dims, name + ".dims");
        Integer e = override(ownEpochs, epochs, name + ".epochs");
        try {
            return Algorithms.create(name, own, d, e, seed);
        } catch (HyperParameterException ex) {
            // the message names the option as train spells it; here -P takes the algorithm as a prefix
            boolean common = ex.parameter().equals(HyperParameter.DIMS) ? ownDims == null
                : ex.parameter().equals(HyperParameter.EPOCHS) && ownEpochs == null;
            throw new ParameterException(spec.commandLine(), ex.spelledAs(common ? "--" + ex.parameter() : "-P " + name + "." + ex.parameter()));
        }
    }

    private Integer override(String value, Integer fallback, String option) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException ex) {
            throw new ParameterException(spec.commandLine(), "-P " + option + " must be an integer but was [" + value + "]");
        }
    }

    private ProtocolSettings settings(Protocol p) {
        // an option of another protocol was read and then ignored: refused, by the rule tune follows too
        MatchedOptions.refuseOtherProtocols(spec, p);
        if (split.length != 3 || Math.abs(split[0] + split[1] + split[2] - 1) > 1e-6) {
            throw new ParameterException(spec.commandLine(), "--split needs three shares that sum to 1, e.g. 0.8,0.1,0.1");
        }
        if ((p == Protocol.RANDOM || p == Protocol.TEMPORAL) && split[1] <= 0 && earlyStopping.patience(spec) > 0) {
            // every validation score would be NaN: early stopping ended each run at --patience epochs, silently
            throw new ParameterException(spec.commandLine(),
                "--split has no validation share, which early stopping judges epochs on; give it one (e.g. 0.8,0.1,0.1) or add --no-early-stopping");
        }
        if (seeds.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--seeds needs at least one seed");
        }
        return new ProtocolSettings(ks, splitSeed, negatives, null, split[1], split[2], folds, earlyStopping.patience(spec));
    }

    private List<String> algorithmNames(Protocol p, ChosenSettings chosen) {
        List<String> names = new ArrayList<>();
        boolean listed = MatchedOptions.given(spec, "--algorithms");
        // with a settings file and no --algorithms, the tuned algorithm is what the user came to evaluate
        List<String> algorithms = chosen != null && listed == false ? new ArrayList<>() : new ArrayList<>(this.algorithms);
        if (chosen != null && algorithms.contains(chosen.algorithm()) == false) {
            algorithms.add(chosen.algorithm());
        }
        if (p.ratesPredictions() == false && algorithms.contains("popularity") == false) {
            names.add("popularity");
        }
        for (String a : algorithms) {
            String name = a.trim().toLowerCase(Locale.ROOT);
            if (names.contains(name) == false) {
                names.add(name);
            }
        }
        if (p.ratesPredictions()) {
            for (String name : names) {
                try {
                    // a probe at the algorithm's defaults: what it predicts does not depend on the settings, which
                    // are checked with the -P overrides once the names are known
                    p.requireRatingsFor(name, Algorithms.create(name, Map.of(), null, null, 1).predictsRatings());
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
            }
        }
        return names;
    }

    /** Splits {@code -P algo.name=value} by algorithm; a prefix that names no requested algorithm is an error. */
    private Map<String, Map<String, String>> parametersByAlgorithm(List<String> names) {
        Map<String, Map<String, String>> by = new LinkedHashMap<>();
        names.forEach(n -> by.put(n, new LinkedHashMap<>()));
        params.forEach((key, value) -> {
            int dot = key.indexOf('.');
            String algo = dot < 0 ? "" : key.substring(0, dot);
            if (by.containsKey(algo) == false) {
                throw new ParameterException(spec.commandLine(), "-P " + key + " must start with one of the evaluated algorithms " + names
                    + ", e.g. -P ials.alpha=20");
            }
            by.get(algo).put(key.substring(dot + 1), value);
        });
        return by;
    }

    private String headline(Map<String, Double> metrics, Protocol p) {
        if (p.ratesPredictions()) {
            return String.format(Locale.ROOT, "RMSE %.4f MAE %.4f", metrics.get("rmse"), metrics.get("mae"));
        }
        return Headline.ranking(metrics, Headline.cutoff(ks));
    }

    private void printSummary(PrintWriter stdout, EvaluationReport report, Protocol p) {
        stdout.println(report.description());
        List<String> columns = p.ratesPredictions() ? List.of("rmse", "mae", "train_seconds")
            : Stream.of("hr@", "ndcg@", "recall@", "precision@", "mrr@", "auc", "coverage@", "train_seconds")
                .map(c -> c.endsWith("@") ? c + Headline.cutoff(ks) : c).toList();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-12s", "model"));
        columns.forEach(c -> header.append(String.format(Locale.ROOT, " %17s", c)));
        stdout.println(header);
        for (Map.Entry<String, Map<String, MetricSummary>> e : report.summary().entrySet()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-12s", e.getKey()));
            for (String c : columns) {
                MetricSummary m = e.getValue().get(c);
                row.append(m == null ? String.format(Locale.ROOT, " %17s", "—")
                    : m.runs() > 1 ? String.format(Locale.ROOT, " %9.4f ± %.4f", m.mean(), m.std()) : String.format(Locale.ROOT, " %17.4f", m.mean()));
            }
            stdout.println(row);
        }
    }
}
