package org.recommender.tools.cli;

import org.recommender.core.io.EmbeddingWriter;
import org.recommender.core.io.TrainingManifest;
import org.recommender.tools.data.IdMap;
import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.eval.LeaveLatestOut;
import org.recommender.tools.eval.Fold;
import org.recommender.tools.eval.Protocol;
import org.recommender.tools.eval.Split;
import org.recommender.tools.output.TrainingOutput;
import org.recommender.tools.train.registry.Algorithms;
import org.recommender.tools.eval.RatingEvaluator;
import org.recommender.tools.train.EpochValidator;
import org.recommender.tools.train.PopularityModel;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

/**
 * {@code model-tools train}: loads interactions, holds out each user's latest one, trains one algorithm, compares it
 * with a popularity baseline on the held-out items (the full-ranking fold of {@link Protocol#fullRanking}), and writes
 * a {@link TrainingOutput}: {@code users.jsonl}, {@code items.jsonl}, {@code model.bundle} (the model the plugin
 * serves them with) and {@code manifest.json}; for a model with a user encoder also {@code encoder.bundle}, and for
 * Mult-DAE the encoder's {@code history.jsonl} and {@code encoded.bundle}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Train user and item embeddings and their serving model from an interaction log, and write them with a manifest.",
        "Unless --holdout none, each user's latest interaction is held out and HR@K / NDCG@K of the model and of a "
            + "popularity baseline are printed (full ranking over the items the user has not interacted with).",
        "Iterative algorithms stop early by default: each user's second-latest interaction is held out for validation "
            + "(the latest under --holdout none) and the best epoch's model is kept; --no-early-stopping trains every epoch on it too." }
)
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--algorithm", paramLabel = "NAME", required = true, description = "Training algorithm: ${COMPLETION-CANDIDATES}.",
        completionCandidates = AlgorithmNames.class)
    String algorithm;

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if missing).")
    Path out;

    @Option(names = "--holdout", paramLabel = "latest|none", defaultValue = "latest",
        description = "latest: hold out each user's latest interaction and evaluate; none: train on everything (default: ${DEFAULT-VALUE}).")
    String holdout;

    @Option(names = "--k", paramLabel = "K", defaultValue = "10", description = "Cut-off K of the HR@K / NDCG@K evaluation (default: ${DEFAULT-VALUE}).")
    int k;

    @Mixin
    EarlyStoppingOptions earlyStopping;

    @Option(names = "--dims", paramLabel = "N", description = "Embedding dimension (default: the algorithm's own, e.g. 32 for bpr, 64 for ials).")
    Integer dims;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default: the algorithm's own).")
    Integer epochs;

    @Option(names = "--learning-rate", paramLabel = "RATE", description = "Shorthand for -P learning_rate=RATE (SGD algorithms).")
    Double learningRate;

    @Option(names = "--regularization", paramLabel = "LAMBDA", description = "Shorthand for -P regularization=LAMBDA.")
    Double regularization;

    @Option(names = "--init-std", paramLabel = "STD", description = "Shorthand for -P init_std=STD.")
    Double initStd;

    @Option(names = { "-P", "--param" }, paramLabel = "NAME=VALUE", description = "A hyper-parameter of the algorithm, e.g. -P alpha=20 (each algorithm's are listed below).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Random seed; same data + options + seed = same model (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = { "-q", "--quiet" }, description = "No progress bar.")
    boolean quiet;

    /** The algorithms {@code --algorithm} accepts. */
    static final class AlgorithmNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Algorithms.names().iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Trainer trainer = trainer();
        if (k < 1) {
            throw new ParameterException(spec.commandLine(), "--k must be at least 1 but was " + k);
        }
        boolean evaluate = switch (holdout) {
            case "latest" -> true;
            case "none" -> false;
            default -> throw new ParameterException(spec.commandLine(), "unknown --holdout [" + holdout + "]; expected one of [latest, none]");
        };
        // only iterative trainers have epochs to choose between; the others learn from the validation item too
        int patience = Algorithms.iterative(algorithm) ? earlyStopping.patience(spec) : 0;
        OutOption.require(spec, out, TrainingOutput::requireUsable);
        Interactions log = data.load(quiet, stderr);
        Split latest = new LeaveLatestOut().apply(log);
        // --holdout none: nothing is tested, and the latest interaction is what early stopping watches
        Split split = evaluate ? latest
            : new Split(UserItemMatrix.union(latest.train(), latest.validation()), latest.test(), UserItemMatrix.fromPairs(latest.test().users(),
                latest.test().items(), new int[0], new int[0]));
        Fold fold = Protocol.fullRanking(split, new int[] { k }, false);
        // without early stopping the validation items are training data; with it, they are what the epochs are judged on
        UserItemMatrix train = patience > 0 ? split.train() : split.seenBeforeTest();
        // a rating model is judged by how well it predicts the held-out ratings, not by how it ranks them: early
        // stopping on NDCG kept BPMF's first sweep, before any sample was averaged
        EpochValidator validator = patience == 0 ? null
            : trainer.predictsRatings() ? new RatingEvaluator(split.validation()).validator() : fold.validator();
        int testUsers = split.test().usersWithItems();
        if (evaluate) {
            stderr.printf(Locale.ROOT, "holding out the latest interaction of %,d users%n", testUsers);
        }
        try {
            trainer.requireServable(train);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        TrainingRun run = TrainingRun.of(trainer, train, validator, Math.max(patience, 1), algorithm, quiet, stderr);
        stderr.printf(Locale.ROOT, "trained %s in %.1f s%n", algorithm, run.seconds());
        stderr.flush();

        Map<String, Map<String, Double>> evaluation = new LinkedHashMap<>();
        if (testUsers > 0) {
            Map<String, Double> own = pick(fold.test().apply(run.model()).metrics());
            if (trainer.predictsRatings()) {
                own.putAll(new RatingEvaluator(split.test()).evaluate(run.model()));
            }
            evaluation.put(algorithm, own);
            evaluation.put(PopularityModel.NAME, pick(fold.test().apply(new PopularityModel(train)).metrics()));
            printResults(stdout, evaluation, testUsers, log.items().size());
            if (trainer.predictsRatings()) {
                stdout.printf(Locale.ROOT, "  %s predicts the held-out ratings with RMSE %.4f, MAE %.4f%n", algorithm, own.get("rmse"), own.get("mae"));
            }
        }
        ServingExport export = run.model().export();
        write(export, trainer, log, train, evaluate, patience, run, evaluation);
        stdout.printf("wrote %s%s to %s%n", TrainingOutput.FILES, encoderFiles(export), out);
        return ExitCodes.OK;
    }

    private Trainer trainer() {
        Map<String, String> given = new LinkedHashMap<>(params);
        if (learningRate != null) {
            given.put("learning_rate", learningRate.toString());
        }
        if (regularization != null) {
            given.put("regularization", regularization.toString());
        }
        if (initStd != null) {
            given.put("init_std", initStd.toString());
        }
        try {
            return Algorithms.create(algorithm, given, dims, epochs, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Map<String, Double> pick(Map<String, Double> metrics) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("hr@" + k, metrics.get("hr@" + k));
        m.put("ndcg@" + k, metrics.get("ndcg@" + k));
        return m;
    }

    private void printResults(PrintWriter stdout, Map<String, Map<String, Double>> evaluation, int testUsers, int items) {
        stdout.printf(Locale.ROOT, "evaluation: latest interaction of %,d users, ranked against all %,d items minus each user's training items%n", testUsers,
            items);
        stdout.printf(Locale.ROOT, "  %-12s %8s %8s%n", "model", "HR@" + k, "NDCG@" + k);
        evaluation.forEach((model, m) -> stdout.printf(Locale.ROOT, "  %-12s %8.4f %8.4f%n", model, m.get("hr@" + k), m.get("ndcg@" + k)));
    }

    private void write(ServingExport export, Trainer trainer, Interactions log, UserItemMatrix train, boolean heldOut, int patience, TrainingRun run,
        Map<String, Map<String, Double>> evaluation) throws IOException {
        double trainingSeconds = run.seconds();
        Map<String, Object> hyper = new LinkedHashMap<>(trainer.parameters());
        hyper.put("holdout", heldOut ? "latest" : "none");
        if (patience > 0) {
            hyper.put("patience", patience);
            hyper.put("kept_epoch", run.control().bestEpoch());
        } else if (Algorithms.iterative(algorithm)) {
            hyper.put("early_stopping", "off");
        }
        ServingExport.Vectors history = export.history();
        TrainingManifest manifest = new TrainingManifest(
            TrainingManifest.FORMAT_VERSION,
            algorithm,
            export.userDims(),
            history == null ? null : history.dims(),
            export.similarity(),
            seed,
            hyper,
            new TrainingManifest.Counts(log.users().size(), log.items().size(), train.nonZeros()),
            Math.round(trainingSeconds * 1000) / 1000.0,
            history == null ? TrainingManifest.FileNames.defaults() : TrainingManifest.FileNames.defaultsWithHistory(),
            evaluation
        );
        try (TrainingOutput.Staging staging = new TrainingOutput(out).stage()) {
            writeVectors(staging.usersFile(), log.users(), export.userVector(), export.userDims());
            writeVectors(staging.itemsFile(), log.items(), export.itemVector(), export.itemDims());
            staging.writeBundle(export.bundle());
            if (export.encoder() != null) {
                staging.writeEncoder(export.encoder());
            }
            if (export.encodedBundle() != null) {
                staging.writeEncodedBundle(export.encodedBundle());
            }
            if (history != null) {
                writeVectors(staging.historyFile(), log.items(), history.vector(), history.dims());
            }
            staging.publish(manifest);
        }
    }

    /** @return what the export writes beyond {@link TrainingOutput#FILES}, for the closing line */
    private static String encoderFiles(ServingExport export) {
        if (export.encoder() == null) {
            return "";
        }
        String files = ", and the user encoder " + TrainingOutput.ENCODER_BUNDLE;
        if (export.history() != null) {
            files += " with the history vectors it reads (" + TrainingManifest.HISTORY_FILE + ")";
        }
        if (export.encodedBundle() != null) {
            files += " and the model of its users (" + TrainingOutput.ENCODED_BUNDLE + ")";
        }
        return files;
    }

    private static void writeVectors(Path file, IdMap ids, IntFunction<float[]> vectors, int dims) throws IOException {
        try (EmbeddingWriter writer = new EmbeddingWriter(file, dims)) {
            for (int i = 0; i < ids.size(); i++) {
                writer.write(ids.id(i), vectors.apply(i));
            }
        }
    }
}
