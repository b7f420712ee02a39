package org.recommender.tools.cli;

import org.recommender.core.io.EmbeddingWriter;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.io.TrainingManifest;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.tools.data.CsvOptions;
import org.recommender.tools.data.IdMap;
import org.recommender.tools.data.InteractionFormat;
import org.recommender.tools.data.InteractionLoader;
import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.LoadOptions;
import org.recommender.tools.data.LoadResult;
import org.recommender.tools.eval.EvaluationResult;
import org.recommender.tools.eval.Holdout;
import org.recommender.tools.eval.HoldoutEvaluator;
import org.recommender.tools.eval.HoldoutSplit;
import org.recommender.tools.train.BprConfig;
import org.recommender.tools.train.BprTrainer;
import org.recommender.tools.train.FactorModel;
import org.recommender.tools.train.PopularityModel;
import org.recommender.tools.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

/**
 * {@code model-tools train}: loads interactions, holds out each user's latest one, trains embeddings, compares
 * them with a popularity baseline on the held-out items, and writes {@code users.jsonl}, {@code items.jsonl},
 * {@code model.bundle} (the model the plugin serves them with) and {@code manifest.json}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Train user and item embeddings from an interaction log and write them with a manifest.",
        "Unless --holdout none, each user's latest interaction is held out and HR@K / NDCG@K of the model and of a "
            + "popularity baseline are printed (full ranking over the items the user has not interacted with)." }
)
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--algorithm", paramLabel = "NAME", required = true, description = "Training algorithm. Supported: ${COMPLETION-CANDIDATES}.",
        completionCandidates = Algorithms.class)
    String algorithm;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Interactions file.")
    Path data;

    @Option(names = "--format", paramLabel = "FORMAT",
        description = "ml-100k (u.data), ml-1m (ratings.dat), ml-20m (ratings.csv), lastfm (user_artists.dat), "
            + "ncf-rating (*.rating), jsonl (*.jsonl, *.ndjson) or csv; default: detected from the file name.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if missing).")
    Path out;

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",", description = "CSV field delimiter; \\t for tab (default: ${DEFAULT-VALUE}).")
    String delimiter;

    @Option(names = "--user-column", paramLabel = "NAME", defaultValue = "user_id", description = "CSV column of user ids (default: ${DEFAULT-VALUE}).")
    String userColumn;

    @Option(names = "--item-column", paramLabel = "NAME", defaultValue = "item_id", description = "CSV column of item ids (default: ${DEFAULT-VALUE}).")
    String itemColumn;

    @Option(names = "--rating-column", paramLabel = "NAME", defaultValue = "rating",
        description = "CSV column of ratings; optional in the file (default: ${DEFAULT-VALUE}).")
    String ratingColumn;

    @Option(names = "--timestamp-column", paramLabel = "NAME", defaultValue = "timestamp",
        description = "CSV column of integer timestamps; optional in the file, line order otherwise (default: ${DEFAULT-VALUE}).")
    String timestampColumn;

    @Option(names = "--min-rating", paramLabel = "R",
        description = "Count only interactions rated at least R as positive feedback (default: all count).")
    Double minRating;

    @Option(names = "--skip-bad-lines", description = "Skip malformed lines and report how many, instead of stopping at the first.")
    boolean skipBadLines;

    @Option(names = "--holdout", paramLabel = "latest|none", defaultValue = "latest",
        description = "latest: hold out each user's latest interaction and evaluate; none: train on everything (default: ${DEFAULT-VALUE}).")
    String holdout;

    @Option(names = "--k", paramLabel = "K", defaultValue = "10", description = "Cut-off K of the HR@K / NDCG@K evaluation (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--dims", paramLabel = "N", defaultValue = "" + BprConfig.DEFAULT_DIMS, description = "Embedding dimension (default: ${DEFAULT-VALUE}).")
    int dims;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + BprConfig.DEFAULT_EPOCHS, description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--learning-rate", paramLabel = "RATE", defaultValue = "" + BprConfig.DEFAULT_LEARNING_RATE, description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--regularization", paramLabel = "LAMBDA", defaultValue = "" + BprConfig.DEFAULT_REGULARIZATION,
        description = "L2 regularization (default: ${DEFAULT-VALUE}).")
    double regularization;

    @Option(names = "--init-std", paramLabel = "STD", defaultValue = "" + BprConfig.DEFAULT_INIT_STD,
        description = "Standard deviation of the initial factors (default: ${DEFAULT-VALUE}).")
    double initStd;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Random seed; same data + options + seed = same vectors (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = { "-q", "--quiet" }, description = "No progress bar.")
    boolean quiet;

    /** The algorithms {@code --algorithm} accepts. */
    static final class Algorithms implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(BprTrainer.NAME).iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        BprConfig config = bprConfig();
        Holdout mode = Holdout.fromName(holdout);
        InteractionFormat fileFormat = format == null ? InteractionFormat.detect(data) : InteractionFormat.fromName(format);
        if (k < 1) {
            throw new ParameterException(spec.commandLine(), "--k must be at least 1 but was " + k);
        }

        Interactions log = load(fileFormat, stderr);
        HoldoutSplit holdoutSplit = mode.apply(log);
        if (mode == Holdout.LATEST) {
            stderr.printf(Locale.ROOT, "holding out the latest interaction of %,d users%n", holdoutSplit.testUsers());
        }
        long trainStart = System.nanoTime();
        FactorModel model = train(new BprTrainer(config), holdoutSplit, stderr);
        double trainingSeconds = seconds(trainStart);
        stderr.printf(Locale.ROOT, "trained %s in %.1f s%n", algorithm, trainingSeconds);
        stderr.flush();

        Map<String, Map<String, Double>> evaluation = new LinkedHashMap<>();
        if (holdoutSplit.testUsers() > 0) {
            HoldoutEvaluator evaluator = new HoldoutEvaluator(holdoutSplit, k);
            List<EvaluationResult> results = List.of(evaluator.evaluate(model), evaluator.evaluate(new PopularityModel(holdoutSplit.train())));
            printResults(stdout, results, holdoutSplit, log.items().size());
            for (EvaluationResult r : results) {
                evaluation.put(r.model(), r.asMap());
            }
        }

        write(model, log, holdoutSplit, mode, config, trainingSeconds, evaluation);
        stdout.printf("wrote %s, %s and %s to %s%n", TrainingManifest.USERS_FILE, TrainingManifest.ITEMS_FILE, TrainingManifest.FILE_NAME, out);
        return ExitCodes.OK;
    }

    private Interactions load(InteractionFormat fileFormat, PrintWriter stderr) throws IOException {
        long start = System.nanoTime();
        LoadOptions options = new LoadOptions(minRating == null ? Double.NEGATIVE_INFINITY : minRating, skipBadLines);
        LoadResult loaded = new InteractionLoader(data, fileFormat, csvOptions(), options).load();
        Interactions log = loaded.interactions();
        stderr.printf(Locale.ROOT, "loaded %,d interactions (%,d users, %,d items) from %s as %s in %.1f s%n",
            log.size(), log.users().size(), log.items().size(), data, fileFormat.externalName(), seconds(start));
        if (loaded.skippedBadLines() > 0) {
            stderr.printf(Locale.ROOT, "skipped %,d malformed lines; the first: %s%n", loaded.skippedBadLines(), loaded.firstBadLine());
        }
        if (loaded.belowMinRating() > 0) {
            stderr.printf(Locale.ROOT, "dropped %,d interactions rated below %s%n", loaded.belowMinRating(), minRating);
        }
        return log;
    }

    private FactorModel train(BprTrainer trainer, HoldoutSplit split, PrintWriter stderr) {
        int epochs = trainer.config().epochs();
        try (ProgressDisplay bar = ProgressDisplay.start(algorithm, trainer.totalSteps(split.train()), null, quiet, stderr)) {
            return trainer.train(split.train(), new TrainingListener() {
                @Override
                public void steps(long count) {
                    bar.step(count);
                }

                @Override
                public void epochDone(int epoch, double loss) {
                    // without a terminal: about ten lines, always including the first and last epoch
                    boolean milestone = epoch == 1 || epoch == epochs || epoch % Math.max(1, epochs / 10) == 0;
                    bar.message(String.format(Locale.ROOT, "epoch %d/%d loss %.4f", epoch, epochs, loss), milestone);
                }
            });
        }
    }

    private void printResults(PrintWriter stdout, List<EvaluationResult> results, HoldoutSplit split, int items) {
        stdout.printf(Locale.ROOT, "evaluation: latest interaction of %,d users, ranked against all %,d items minus each user's training items%n",
            split.testUsers(), items);
        String hr = "HR@" + k;
        String ndcg = "NDCG@" + k;
        stdout.printf(Locale.ROOT, "  %-12s %8s %8s%n", "model", hr, ndcg);
        for (EvaluationResult r : results) {
            stdout.printf(Locale.ROOT, "  %-12s %8.4f %8.4f%n", r.model(), r.hitRate(), r.ndcg());
        }
    }

    /** The model bundle file {@code train} writes next to the vectors. */
    static final String MODEL_BUNDLE = "model.bundle";

    private void write(FactorModel model, Interactions log, HoldoutSplit holdoutSplit, Holdout mode, BprConfig config, double trainingSeconds,
        Map<String, Map<String, Double>> evaluation) throws IOException {
        Files.createDirectories(out);
        // a crash while writing vectors must not leave an older manifest vouching for them
        Files.deleteIfExists(out.resolve(TrainingManifest.FILE_NAME));
        TrainingManifest manifest = new TrainingManifest(
            TrainingManifest.FORMAT_VERSION,
            algorithm,
            config.dims(),
            VectorSimilarity.DOT_PRODUCT.externalName(),
            config.seed(),
            hyperParameters(config, mode),
            new TrainingManifest.Counts(log.users().size(), log.items().size(), holdoutSplit.train().nonZeros()),
            Math.round(trainingSeconds * 1000) / 1000.0,
            TrainingManifest.FileNames.defaults(),
            evaluation
        );
        writeVectors(manifest.usersFile(out), log.users(), model::user, config.dims());
        writeVectors(manifest.itemsFile(out), log.items(), model::item, config.dims());
        // the serving model for factors trained for the inner product: upload it and _recommend scores exactly so
        Files.write(out.resolve(MODEL_BUNDLE), ModelBundle.dot(config.dims()).toBytes());
        manifest.write(out); // last, so a directory with a manifest always has complete vector files
    }

    /** The trainer's settings plus the holdout, which decides what the model was trained on. */
    private static Map<String, Object> hyperParameters(BprConfig config, Holdout mode) {
        Map<String, Object> all = new LinkedHashMap<>(config.asMap());
        all.put("holdout", mode.externalName());
        return all;
    }

    private static void writeVectors(Path file, IdMap ids, IntFunction<float[]> vectors, int dims) throws IOException {
        try (EmbeddingWriter writer = new EmbeddingWriter(file, dims)) {
            for (int i = 0; i < ids.size(); i++) {
                writer.write(ids.id(i), vectors.apply(i));
            }
        }
    }

    private BprConfig bprConfig() {
        if (BprTrainer.NAME.equals(algorithm) == false) {
            throw new ParameterException(spec.commandLine(), "unknown --algorithm [" + algorithm + "]; supported: [" + BprTrainer.NAME + "]");
        }
        return new BprConfig(dims, epochs, learningRate, regularization, initStd, seed);
    }

    private CsvOptions csvOptions() {
        String d = delimiter.equals("\\t") ? "\t" : delimiter;
        if (d.length() != 1) {
            throw new ParameterException(spec.commandLine(), "--delimiter must be one character (or \\t) but was [" + delimiter + "]");
        }
        return new CsvOptions(d.charAt(0), userColumn, itemColumn, ratingColumn, timestampColumn);
    }


    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
