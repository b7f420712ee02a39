package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.recommender.tools.data.Interactions;
import org.recommender.tools.eval.Fold;
import org.recommender.tools.eval.Protocol;
import org.recommender.tools.eval.ProtocolSettings;
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
 * {@code model-tools tune}: a seeded, budgeted search over one algorithm's declared search ranges under one ranking
 * protocol, selecting on the protocol's validation split only, then the chosen setting trained once more and tested
 * once. Writes {@code tune.json} (every trial) and {@code chosen.json} (for {@code evaluate --settings}).
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
        description = "ncf, random or temporal: the protocol whose validation split selects and whose test split tests (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--epochs", paramLabel = "N", description = "The full epoch budget of a trial (default: the algorithm's own).")
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

    @Option(names = "--split-seed", paramLabel = "SEED", defaultValue = "2020",
        description = "Seed of the split and of sampled negatives (default: ${DEFAULT-VALUE}).")
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
        ProtocolSettings settings = settings();
        int patience = settings.patience();
        Tuner tuner = tuner();
        try {
            p.requireOrderFor(algorithm, Algorithms.create(algorithm, Map.of(), null, null, seed).needsOrder());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Interactions log = data.load(stderr);
        Fold fold = p.folds(log, settings).get(0);
        stderr.printf(Locale.ROOT, "tuning %s: %s search, %d settings of %s, seed %d; selecting on validation ndcg@10 (%s)%n", algorithm,
            search, trials, tuner.searched().stream().map(h -> h.name() + " " + h.search().describe()).collect(Collectors.joining(", ")), seed,
            p.describe(settings));
        TrialRunner runner = (trainer, train, validator, label) -> {
            TrainingRun run = TrainingRun.of(trainer, train, patience > 0 ? validator : null, Math.max(patience, 1), label, quiet, stderr);
            List<Double> scores = run.control().validationScores();
            // with early stopping the kept model's score is already known; without it, score the last model once
            double validation = scores.isEmpty() ? validator.score(run.model()) : scores.get(Math.max(run.control().bestEpoch(), 1) - 1);
            return new TrialRunner.Fitted(run.model(), validation, run.control().losses().size(), run.control().bestEpoch(), run.seconds());
        };
        Tuning.Outcome outcome;
        try {
            outcome = Tuning.run(fold, tuner, runner, trial -> {
                stderr.printf(Locale.ROOT, "trial %d (setting %d%s): %s → validation ndcg@10 %.4f (%d epochs%s, %.1f s)%n", trial.number(), trial.config(),
                    trial.epochBudget() < tuner.maxEpochs() ? ", budget " + trial.epochBudget() + " epochs" : "",
                    typed(trial.settings()), trial.validation(), trial.epochs(), trial.keptEpoch() > 0 ? ", kept " + trial.keptEpoch() : "",
                    trial.seconds());
                stderr.flush();
            });
        } catch (HyperParameterException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Trial chosen = outcome.search().chosen();
        Files.createDirectories(out);
        String selection = String.format(Locale.ROOT, "tune %s search, %d settings (%d trials), seed %d, on validation ndcg@10 of %s, split seed %d",
            search, trials, outcome.search().trials().size(), seed, p.externalName(), splitSeed);
        Map<String, String> chosenParameters = new LinkedHashMap<>(params);
        chosenParameters.putAll(chosen.settings());
        if (dims != null) {
            chosenParameters.put(HyperParameter.DIMS, dims.toString());
        }
        if (Algorithms.iterative(algorithm)) {
            chosenParameters.put(HyperParameter.EPOCHS, Integer.toString(tuner.maxEpochs()));
        }
        new ChosenSettings(ChosenSettings.FORMAT, algorithm, chosenParameters, selection, chosen.validation()).write(out.resolve(ChosenSettings.FILE));
        JSON.writeValue(out.resolve("tune.json").toFile(), report(p, settings, log, tuner, outcome, selection));

        stdout.printf(Locale.ROOT, "chosen (trial %d of %d): %s — validation ndcg@10 %.4f%n", chosen.number(), outcome.search().trials().size(),
            typed(chosen.settings()), chosen.validation());
        stdout.printf(Locale.ROOT, "retrained (%d epochs, kept %d, %.1f s) and tested once: %s%n", outcome.fit().epochs(), outcome.fit().keptEpoch(),
            outcome.fit().seconds(), headline(outcome.test().metrics()));
        stdout.printf("wrote %s and %s%n", out.resolve("tune.json"), out.resolve(ChosenSettings.FILE));
        return ExitCodes.OK;
    }

    private Map<String, Object> report(Protocol p, ProtocolSettings settings, Interactions log, Tuner tuner, Tuning.Outcome outcome, String selection) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("format", "model-tools-tune/1");
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
        s.put("epoch_budget", tuner.maxEpochs());
        s.put("selected_on", "validation ndcg@10 (the protocol's validation split; the test split is not read during the search)");
        Map<String, String> space = new LinkedHashMap<>();
        tuner.searched().forEach(h -> space.put(h.name(), h.search().describe()));
        s.put("space", space);
        s.put("fixed", new LinkedHashMap<>(params));
        r.put("search", s);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Trial t : outcome.search().trials()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", t.number());
            row.put("setting", t.config());
            row.put("rung", t.rung());
            row.put("settings", new LinkedHashMap<>(t.settings()));
            row.put("epoch_budget", t.epochBudget());
            row.put("validation_ndcg@10", t.validation());
            row.put("epochs", t.epochs());
            row.put("kept_epoch", t.keptEpoch());
            row.put("seconds", Math.round(t.seconds() * 1000) / 1000.0);
            rows.add(row);
        }
        r.put("trials", rows);
        Map<String, Object> chosen = new LinkedHashMap<>();
        chosen.put("trial", outcome.search().chosen().number());
        chosen.put("settings", new LinkedHashMap<>(outcome.search().chosen().settings()));
        chosen.put("validation_ndcg@10", outcome.search().chosen().validation());
        chosen.put("selection", selection);
        r.put("chosen", chosen);
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("epochs", outcome.fit().epochs());
        test.put("kept_epoch", outcome.fit().keptEpoch());
        test.put("train_seconds", Math.round(outcome.fit().seconds() * 1000) / 1000.0);
        test.put("users", outcome.test().users());
        test.put("metrics", outcome.test().metrics());
        r.put("test", test);
        return r;
    }

    private Protocol protocol() {
        Protocol p;
        try {
            p = Protocol.fromName(protocol);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (p.ratesPredictions()) {
            // its folds have no validation split; selecting on the folds it reports would be selecting on test
            throw new ParameterException(spec.commandLine(), "tune selects on a validation split; --protocol rating-kfold has none (use ncf, random or temporal)");
        }
        return p;
    }

    private ProtocolSettings settings() {
        if (split.length != 3 || Math.abs(split[0] + split[1] + split[2] - 1) > 1e-6 || split[1] <= 0) {
            throw new ParameterException(spec.commandLine(), "--split needs three shares that sum to 1 with a validation share above 0, e.g. 0.8,0.1,0.1");
        }
        return new ProtocolSettings(ks, splitSeed, negatives, null, split[1], split[2], 1, earlyStopping.patience(spec));
    }

    private Tuner tuner() {
        try {
            SearchMethod method = SearchMethod.fromName(search);
            int budget = epochs != null ? epochs : Algorithms.parameters(algorithm).stream().filter(h -> h.name().equals(HyperParameter.EPOCHS))
                .map(h -> (Integer) h.defaultValue()).findFirst().orElse(1);
            Tuner tuner = new Tuner(algorithm, params, dims, budget, method, trials, eta, seed);
            // build one trainer now, so a typo in -P fails in a second, not after the data has loaded
            tuner.trainer(Map.of(), budget);
            return tuner;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String typed(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String headline(Map<String, Double> m) {
        return String.format(Locale.ROOT, "NDCG@10 %.4f HR@10 %.4f Recall@10 %.4f", m.getOrDefault("ndcg@10", Double.NaN),
            m.getOrDefault("hr@10", Double.NaN), m.getOrDefault("recall@10", Double.NaN));
    }
}
