package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.recommender.tools.data.Interactions;
import org.recommender.tools.eval.Fold;
import org.recommender.tools.eval.MetricSummary;
import org.recommender.tools.eval.Protocol;
import org.recommender.tools.eval.ProtocolSettings;
import org.recommender.tools.eval.RatingEvaluator;
import org.recommender.tools.output.OutputDirectory;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.HyperParameterException;
import org.recommender.tools.train.registry.Algorithms;
import org.recommender.tools.tune.ChosenSettings;
import org.recommender.tools.tune.SearchMethod;
import org.recommender.tools.tune.Trial;
import org.recommender.tools.tune.TrialRunner;
import org.recommender.tools.tune.Tuner;
import org.recommender.tools.tune.Tuning;
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
import java.util.stream.Collectors;

/**
 * {@code model-tools tune}: a seeded, budgeted search over one algorithm's declared search ranges under one protocol,
 * selecting on validation data only, then the chosen setting trained once more and tested once. Under a ranking
 * protocol the validation data is its validation split; under {@code rating-kfold}, which has none, tuning is nested:
 * each outer fold's search judges settings on inner folds of that fold's training part, and the outer test fold is
 * read once, by the setting that search chose. Writes {@code tune.json} (every trial) and {@code chosen.json} (for
 * {@code evaluate --settings}).
 */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Search an algorithm's hyper-parameters on the validation split of a protocol, then train the chosen setting and test it once.",
        "Random search draws --trials settings from the declared ranges (listed below) and trains each with the full epoch budget; "
            + "--search halving (iterative algorithms) trains them on few epochs and gives the best third three times the epochs, "
            + "until the last rung trains with --epochs. Only validation NDCG@10 decides; the test split is read once, at the end.",
        "--protocol rating-kfold tunes nested: for each of --folds outer folds, every setting trains on --inner-folds inner folds of the "
            + "outer fold's training part and is judged by its mean inner validation RMSE; the best is retrained on the whole outer training "
            + "part and tested once on the outer test fold. The report gives every fold's trials and choice and the outer RMSE, mean ± sd.",
        "Example: model-tools tune --data user_artists.dat --protocol random --algorithm bpr --trials 20 --out tune/bpr" }
)
public final class TuneCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--algorithm", paramLabel = "NAME", required = true, description = "The algorithm to tune: ${COMPLETION-CANDIDATES}.",
        completionCandidates = TrainCommand.AlgorithmNames.class)
    String algorithm;

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "random",
        description = "ncf, random, temporal or sequential: the protocol whose validation split selects and whose test split tests; "
            + "rating-kfold: nested k-fold tuning of a rating model (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--search", paramLabel = "random|halving", defaultValue = "random",
        description = "random search, or successive halving over epochs (iterative algorithms) (default: ${DEFAULT-VALUE}).")
    String search;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "20", description = "Settings to draw (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--eta", paramLabel = "η", defaultValue = "" + Tuner.DEFAULT_ETA,
        description = "halving: keep the best 1/η of each rung and give the next η times the epochs (default: ${DEFAULT-VALUE}).")
    int eta;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
        description = "Seeds the draws and every trial's training; same data + options + seed = same trials (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dims", paramLabel = "N", description = "Fix the embedding dimension instead of searching it.")
    Integer dims;

    @Option(names = "--epochs", paramLabel = "N",
        description = "The full epoch budget of a trial (default: the algorithm's own; searched under random search where the algorithm declares a range).")
    Integer epochs;

    @Option(names = { "-P", "--param" }, paramLabel = "NAME=VALUE", description = "Fix a hyper-parameter instead of searching it, e.g. -P confidence=log.")
    Map<String, String> params = new LinkedHashMap<>();

    @Mixin
    EarlyStoppingOptions earlyStopping;

    @Option(names = "--k", paramLabel = "K,…", split = ",", defaultValue = "5,10,20", description = "Top-K cut-offs of the final test (default: ${DEFAULT-VALUE}).")
    int[] ks;

    @Option(names = "--split", paramLabel = "TRAIN,VALID,TEST", split = ",", defaultValue = "0.8,0.1,0.1",
        description = "random/temporal: per-user shares (default: ${DEFAULT-VALUE}).")
    double[] split;

    @Option(names = "--negatives", paramLabel = "N", defaultValue = "99", description = "ncf: sampled negatives per user (default: ${DEFAULT-VALUE}).")
    int negatives;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "5", description = "rating-kfold: outer folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--inner-folds", paramLabel = "K", defaultValue = "3",
        description = "rating-kfold: inner folds each outer training part is cut into for the search (default: ${DEFAULT-VALUE}).")
    int innerFolds;

    @Option(names = "--split-seed", paramLabel = "SEED", defaultValue = "2020",
        description = "Seed of the split and of sampled negatives; rating-kfold: outer fold f's inner folds are shuffled with this seed + f "
            + "(default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where tune.json and chosen.json go (created if missing).")
    Path out;

    @Option(names = { "-q", "--quiet" }, description = "No progress bars (one line per trial is still printed).")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Protocol p = protocol();
        ProtocolSettings settings = settings(p);
        Tuner tuner = tuner();
        try {
            Trainer probe = Algorithms.create(algorithm, Map.of(), null, null, seed);
            p.requireOrderFor(algorithm, probe.needsOrder());
            p.requireRatingsFor(algorithm, probe.predictsRatings());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        // before the search, not after it: a search of hours found an unusable --out only when it was done
        OutOption.require(spec, out, OutputDirectory::requireUsable);
        long start = System.nanoTime();
        Interactions log = data.load(quiet, stderr);
        int patience = settings.patience();
        TrialRunner runner = (trainer, train, validator, label) -> {
            boolean stopEarly = patience > 0 && validator != null;
            TrainingRun run = TrainingRun.of(trainer, train, stopEarly ? validator : null, Math.max(patience, 1), label, quiet, stderr);
            List<Double> scores = run.control().validationScores();
            // with early stopping the kept model's score is already known; without it, score the last model once
            double validation = scores.isEmpty() ? (validator == null ? Double.NaN : validator.score(run.model()))
                : scores.get(Math.max(run.control().bestEpoch(), 1) - 1);
            return new TrialRunner.Fitted(run.model(), validation, run.control().losses().size(), run.control().bestEpoch(), run.seconds());
        };
        try {
            return p.ratesPredictions() ? nested(p, settings, log, tuner, runner, start, stdout, stderr)
                : validationSplit(p, settings, log, tuner, runner, start, stdout, stderr);
        } catch (HyperParameterException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Tuning on a ranking protocol's validation split, tested once on its test split. */
    private int validationSplit(Protocol p, ProtocolSettings settings, Interactions log, Tuner tuner, TrialRunner runner, long start, PrintWriter stdout,
        PrintWriter stderr) throws IOException {
        Fold fold = p.folds(log, settings).get(0);
        stderr.printf(Locale.ROOT, "tuning %s: %s search, %d settings of %s, seed %d; selecting on validation ndcg@10 (%s)%n", algorithm,
            search, trials, space(tuner), seed, p.describe(settings));
        Tuning.Outcome outcome = Tuning.run(fold, tuner, runner, trial -> {
            stderr.printf(Locale.ROOT, "trial %d (setting %d%s): %s → validation ndcg@10 %s (%d epochs%s, %.1f s)%n", trial.number(), trial.config(),
                trial.epochBudget() < tuner.epochBudget(trial.settings()) ? ", budget " + trial.epochBudget() + " epochs" : "",
                typed(trial.settings()), score(trial.validation()),
                trial.epochs(), trial.keptEpoch() > 0 ? ", kept " + trial.keptEpoch() : "", trial.seconds());
            stderr.flush();
        });
        Trial chosen = outcome.search().chosen();
        Files.createDirectories(out);
        String selection = String.format(Locale.ROOT, "tune %s search, %d settings (%d trials), seed %d, on validation ndcg@10 of %s, split seed %d",
            search, trials, outcome.search().trials().size(), seed, p.externalName(), splitSeed);
        new ChosenSettings(ChosenSettings.FORMAT, algorithm, chosenParameters(tuner, chosen.settings()), selection, chosen.validation())
            .write(out.resolve(ChosenSettings.FILE));
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, Object> r = header("model-tools-tune/1", p, settings, log, tuner, "validation ndcg@10 (the protocol's validation split; the test split is not read during the search)");
        r.put("trials", trialRows(outcome.search().trials(), false));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("trial", chosen.number());
        c.put("settings", new LinkedHashMap<>(chosen.settings()));
        c.put("validation_ndcg@10", chosen.validation());
        c.put("selection", selection);
        r.put("chosen", c);
        r.put("test", testRow(outcome));
        r.put("wall_seconds", seconds(wall));
        JSON.writeValue(out.resolve("tune.json").toFile(), r);

        stdout.printf(Locale.ROOT, "chosen (trial %d of %d): %s — validation ndcg@10 %.4f%n", chosen.number(), outcome.search().trials().size(),
            typed(chosen.settings()), chosen.validation());
        stdout.printf(Locale.ROOT, "retrained (%d epochs, kept %d, %.1f s) and tested once: %s%n", outcome.fit().epochs(), outcome.fit().keptEpoch(),
            outcome.fit().seconds(), headline(outcome.test().metrics()));
        stdout.printf("wrote %s and %s%n", out.resolve("tune.json"), out.resolve(ChosenSettings.FILE));
        return ExitCodes.OK;
    }

    /**
     * Nested k-fold tuning of a rating model: per outer fold a search on inner folds of its training part (judged by
     * mean inner validation RMSE), the choice retrained on the whole training part and tested once on the outer test
     * fold.
     */
    private int nested(Protocol p, ProtocolSettings settings, Interactions log, Tuner tuner, TrialRunner runner, long start, PrintWriter stdout,
        PrintWriter stderr) throws IOException {
        List<Fold> outer = p.folds(log, settings);
        stderr.printf(Locale.ROOT, "tuning %s: nested %d-fold (%s); each outer fold's search sees only its training part, cut into %d inner folds; "
            + "%s search, %d settings of %s, seed %d; selecting on mean inner validation rmse — %,d trainings in all%n", algorithm, outer.size(),
            p.describe(settings), innerFolds, search, trials, space(tuner), seed, (long) outer.size() * (innerFolds * tuner.trainings() + 1));
        stderr.flush();
        List<Tuning.Outcome> outcomes = Tuning.nested(outer, innerFolds, splitSeed, held -> new RatingEvaluator(held).validator(), tuner, runner,
            new Tuning.NestedProgress() {
                @Override
                public void searching(Fold fold, List<Tuner.Holdout> inner) {
                    stderr.printf(Locale.ROOT, "%s: searching on %d inner folds of its %,d training ratings (%,d train, %,d validate in each)%n",
                        fold.label(), inner.size(), fold.split().train().nonZeros(), inner.get(0).train().nonZeros(),
                        fold.split().train().nonZeros() - inner.get(0).train().nonZeros());
                    stderr.flush();
                }

                @Override
                public void trial(Fold fold, Trial trial) {
                    stderr.printf(Locale.ROOT, "%s trial %d (setting %d%s): %s → mean inner rmse %s (%s; %d epochs, %.1f s)%n", fold.label(),
                        trial.number(), trial.config(),
                        trial.epochBudget() < tuner.epochBudget(trial.settings()) ? ", budget " + trial.epochBudget() + " epochs" : "",
                        typed(trial.settings()), score(-trial.validation()),
                        trial.holdouts().stream().map(v -> score(-v)).collect(Collectors.joining(" ")), trial.epochs(),
                        trial.seconds());
                    stderr.flush();
                }

                @Override
                public void tested(Fold fold, Tuning.Outcome outcome) {
                    Trial chosen = outcome.search().chosen();
                    stderr.printf(Locale.ROOT, "%s: chose setting %d (%s; mean inner rmse %.4f), retrained on its %,d training ratings (%.1f s), "
                        + "tested once: RMSE %.4f MAE %.4f%n", fold.label(), chosen.config(), typed(chosen.settings()), -chosen.validation(),
                        fold.split().train().nonZeros(), outcome.fit().seconds(), outcome.test().metrics().get("rmse"),
                        outcome.test().metrics().get("mae"));
                    stderr.flush();
                }
            });
        Tuning.Consensus consensus = Tuning.consensus(outcomes);
        Files.createDirectories(out);
        int trialsRun = outcomes.stream().mapToInt(o -> o.search().trials().size()).sum();
        String selection = String.format(Locale.ROOT, "tune %s search, %d settings, seed %d, nested in %s (%d folds, split seed %d): each outer fold "
            + "chose on mean validation rmse over %d inner folds of its training part (%d trials in all); setting %d was chosen on %d of %d outer folds "
            + "(the most; ties broken by mean inner rmse over the folds), mean inner rmse %.4f", search, trials, seed, p.externalName(), outer.size(),
            splitSeed, innerFolds, trialsRun, consensus.config(), consensus.chosenOn(), consensus.folds(), -consensus.validation());
        new ChosenSettings(ChosenSettings.FORMAT, algorithm, chosenParameters(tuner, consensus.settings()), selection, -consensus.validation())
            .write(out.resolve(ChosenSettings.FILE));
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, Object> r = header("model-tools-tune-nested/1", p, settings, log, tuner, "mean validation rmse over " + innerFolds + " inner folds of each outer fold's "
            + "training part (the outer test fold is not read during its search)");
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) r.get("search");
        s.put("inner_folds", innerFolds);
        s.put("inner_split_seed", "split seed + outer fold number (1-based): " + (splitSeed + 1) + " … " + (splitSeed + outer.size()));
        List<Map<String, Object>> folds = new ArrayList<>();
        Map<String, List<Double>> metrics = new LinkedHashMap<>();
        for (int f = 0; f < outer.size(); f++) {
            Tuning.Outcome o = outcomes.get(f);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("fold", outer.get(f).label());
            row.put("train_ratings", outer.get(f).split().train().nonZeros());
            row.put("test_ratings", outer.get(f).split().test().nonZeros());
            row.put("trials", trialRows(o.search().trials(), true));
            Trial chosen = o.search().chosen();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("trial", chosen.number());
            c.put("setting", chosen.config());
            c.put("settings", new LinkedHashMap<>(chosen.settings()));
            c.put("validation_rmse", -chosen.validation());
            row.put("chosen", c);
            row.put("test", testRow(o));
            folds.add(row);
            o.test().metrics().forEach((m, v) -> metrics.computeIfAbsent(m, x -> new ArrayList<>()).add(v));
        }
        r.put("outer_folds", folds);
        Map<String, Object> summary = new LinkedHashMap<>();
        metrics.forEach((m, v) -> {
            MetricSummary ms = MetricSummary.of(v);
            summary.put(m, Map.of("mean", ms.mean(), "std", ms.std(), "runs", ms.runs()));
        });
        r.put("test_summary", summary);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("setting", consensus.config());
        c.put("settings", new LinkedHashMap<>(consensus.settings()));
        c.put("chosen_on_folds", consensus.chosenOn());
        c.put("validation_rmse", -consensus.validation());
        c.put("selection", selection);
        r.put("chosen", c);
        r.put("wall_seconds", seconds(wall));
        JSON.writeValue(out.resolve("tune.json").toFile(), r);

        MetricSummary rmse = MetricSummary.of(metrics.get("rmse"));
        MetricSummary mae = MetricSummary.of(metrics.get("mae"));
        for (int f = 0; f < outer.size(); f++) {
            Tuning.Outcome o = outcomes.get(f);
            stdout.printf(Locale.ROOT, "%s: setting %d (%s) — mean inner rmse %.4f, test RMSE %.4f MAE %.4f%n", outer.get(f).label(),
                o.search().chosen().config(), typed(o.search().chosen().settings()), -o.search().chosen().validation(),
                o.test().metrics().get("rmse"), o.test().metrics().get("mae"));
        }
        stdout.printf(Locale.ROOT, "nested %d-fold test (each fold tested once with the setting its own search chose): RMSE %.4f ± %.4f, MAE %.4f ± %.4f%n",
            outer.size(), rmse.mean(), rmse.std(), mae.mean(), mae.std());
        stdout.printf(Locale.ROOT, "chosen.json: setting %d (%s), chosen on %d of %d outer folds; %.0f s in all%n", consensus.config(),
            typed(consensus.settings()), consensus.chosenOn(), consensus.folds(), wall);
        stdout.printf("wrote %s and %s%n", out.resolve("tune.json"), out.resolve(ChosenSettings.FILE));
        return ExitCodes.OK;
    }

    /** @return the chosen parameters as {@code evaluate --settings} reads them: fixed ones, searched ones, dims and epochs */
    private Map<String, String> chosenParameters(Tuner tuner, Map<String, String> chosen) {
        Map<String, String> parameters = new LinkedHashMap<>(params);
        parameters.putAll(chosen);
        if (dims != null) {
            parameters.put(HyperParameter.DIMS, dims.toString());
        }
        if (Algorithms.iterative(algorithm)) {
            parameters.put(HyperParameter.EPOCHS, Integer.toString(tuner.epochBudget(chosen)));
        }
        return parameters;
    }

    /** @return the settings the search draws, each with its range */
    private static String space(Tuner tuner) {
        return tuner.searched().stream().map(h -> h.name() + " " + h.search().describe()).collect(Collectors.joining(", "));
    }

    /**
     * @param format the report's shape: {@code model-tools-tune/1} (one search, trials, chosen, test) or
     *     {@code model-tools-tune-nested/1} (one search per outer fold under {@code outer_folds})
     */
    private Map<String, Object> header(String format, Protocol p, ProtocolSettings settings, Interactions log, Tuner tuner, String selectedOn) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("format", format);
        r.put("dataset", data.describe());
        r.put("protocol", p.externalName());
        r.put("description", p.describe(settings));
        r.put("settings", p.settings(settings, log));
        r.put("algorithm", algorithm);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("method", search);
        s.put("settings_drawn", trials);
        if (SearchMethod.fromName(search) == SearchMethod.HALVING) {
            s.put("eta", eta);
        }
        s.put("seed", seed);
        s.put("epoch_budget", tuner.searchesEpochs() ? "searched" : tuner.maxEpochs());
        s.put("selected_on", selectedOn);
        Map<String, String> space = new LinkedHashMap<>();
        tuner.searched().forEach(h -> space.put(h.name(), h.search().describe()));
        s.put("space", space);
        s.put("fixed", new LinkedHashMap<>(params));
        r.put("search", s);
        return r;
    }

    /** @return a row per trial; rating trials give RMSE (the search compares −RMSE) over the inner folds and their mean */
    private static List<Map<String, Object>> trialRows(List<Trial> trials, boolean rating) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Trial t : trials) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", t.number());
            row.put("setting", t.config());
            row.put("rung", t.rung());
            row.put("settings", new LinkedHashMap<>(t.settings()));
            row.put("epoch_budget", t.epochBudget());
            // a setting that did not train has no score: null, not the string "NaN" among numbers
            if (rating) {
                row.put("validation_rmse", finiteOrNull(-t.validation()));
                row.put("inner_rmse", t.holdouts().stream().map(v -> finiteOrNull(-v)).toList());
            } else {
                row.put("validation_ndcg@10", finiteOrNull(t.validation()));
            }
            row.put("epochs", t.epochs());
            row.put("kept_epoch", t.keptEpoch());
            row.put("seconds", seconds(t.seconds()));
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, Object> testRow(Tuning.Outcome outcome) {
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("epochs", outcome.fit().epochs());
        test.put("kept_epoch", outcome.fit().keptEpoch());
        test.put("train_seconds", seconds(outcome.fit().seconds()));
        test.put("users", outcome.test().users());
        test.put("metrics", outcome.test().metrics());
        return test;
    }

    private static double seconds(double s) {
        return Math.round(s * 1000) / 1000.0;
    }

    /** @return a trial's score as the console shows it: four decimals, or that the setting did not train (NaN) */
    private static String score(double value) {
        return Double.isNaN(value) ? "none: did not train, ranked last" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static Double finiteOrNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private Protocol protocol() {
        try {
            return Protocol.fromName(protocol);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private ProtocolSettings settings(Protocol p) {
        MatchedOptions.refuseOtherProtocols(spec, p); // as evaluate: --negatives, --split and --folds belong to one protocol each
        if (p.ratesPredictions()) {
            MatchedOptions.refuse(spec, "applies to the ranking protocols (rating models train fixed epochs under rating-kfold: there is no validation part)",
                "--patience", "--no-early-stopping");
            if (folds < 2 || innerFolds < 2) {
                throw new ParameterException(spec.commandLine(), "--folds and --inner-folds must be at least 2 but were " + folds + " and " + innerFolds);
            }
            // rating models train fixed epochs, as under evaluate: there is no validation part to stop on
            return new ProtocolSettings(ks, splitSeed, negatives, null, 0, 0, folds, 0);
        }
        if (split.length != 3 || Math.abs(split[0] + split[1] + split[2] - 1) > 1e-6 || split[1] <= 0) {
            throw new ParameterException(spec.commandLine(), "--split needs three shares that sum to 1 with a validation share above 0, e.g. 0.8,0.1,0.1");
        }
        return new ProtocolSettings(ks, splitSeed, negatives, null, split[1], split[2], 1, earlyStopping.patience(spec));
    }

    private Tuner tuner() {
        try {
            SearchMethod method = SearchMethod.fromName(search);
            Tuner tuner = new Tuner(algorithm, params, dims, epochs, method, trials, eta, seed);
            // build one trainer now, so a typo in -P fails in a second, not after the data has loaded
            tuner.trainer(Map.of(), tuner.maxEpochs());
            return tuner;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String typed(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private String headline(Map<String, Double> m) {
        return Headline.ranking(m, Headline.cutoff(ks));
    }
}
