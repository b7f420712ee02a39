package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.recommender.core.io.EmbeddingEntry;
import org.recommender.core.io.EmbeddingReader;
import org.recommender.core.io.TrainingManifest;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.tools.cluster.ClusterException;
import org.recommender.tools.cluster.ClusterResponse;
import org.recommender.tools.cluster.IndexMapping;
import org.recommender.tools.cluster.ModelStoreClient;
import org.recommender.tools.cluster.OpenSearchConnection;
import org.recommender.tools.cluster.PluginSurfaces;
import org.recommender.tools.cluster.PluginSurfaces.Surface;
import org.recommender.tools.cluster.RecommendationClient;
import org.recommender.tools.cluster.ScoredItem;
import org.recommender.tools.output.TrainingOutput;
import org.recommender.tools.parity.EncodedUsers;
import org.recommender.tools.parity.OfflineCatalog;
import org.recommender.tools.parity.ParityTally;
import org.recommender.tools.parity.ReferenceRanking;
import org.recommender.tools.parity.Reservoir;
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
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code model-tools parity}: for a sample of users, ranks the items offline with the model bundle and through the
 * live plugin (endpoint, rescorer, script), and reports how far apart the scores and rankings are; exits non-zero
 * when they differ beyond a tolerance. Run it after {@code index} and {@code upload}, e.g. nightly.
 */
@Command(
    name = "parity",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Check that the cluster ranks like the offline model: for a sample of users, compute top-K items and scores "
            + "offline from the training output and its model bundle, then through the plugin's _recommend endpoint, the "
            + "recommender rescorer and the recommender script (source: model), and compare.",
        "With --encoder, the users are histories (--histories) encoded by a stored user encoder, offline by its bundle and online by the "
            + "plugin, so the check covers the encoder as well as the scoring model. The encoder reads the item vectors, or, for a model "
            + "with history vectors of its own (multdae), those (indexed in --history-field); --id is then the model of encoded users "
            + "(DIR/encoded.bundle), and the endpoint's candidates come from match_all, since such a user cannot search the field.",
        "Reports, per surface, the largest absolute and relative score difference and the rank agreement; exits 1 when a "
            + "score is off by more than --atol + --rtol x |offline score| or rank agreement is below --min-agreement." }
)
public final class ParityCommand implements Callable<Integer> {
    /** The largest candidate set or rescore window OpenSearch allows by default. */
    static final int MAX_WINDOW = 10_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Training output directory that was indexed.")
    Path model;

    @Option(names = "--id", required = true, paramLabel = "MODEL_ID", description = "Id of the uploaded model in the plugin's model store.")
    String modelId;

    @Option(names = "--bundle", paramLabel = "FILE",
        description = "The bundle that was uploaded (default: DIR/model.bundle; with --encoder, DIR/encoded.bundle where there is one).")
    Path bundle;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    IndexNames indices;

    @Option(names = "--user", paramLabel = "ID", description = "A user to check; repeatable (default: a sample, see --sample).")
    List<String> users = new ArrayList<>();

    @Option(names = "--sample", paramLabel = "N", defaultValue = "20", description = "Users drawn at random when no --user is given (default: ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of the user sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--k", paramLabel = "K", defaultValue = "10", description = "Items per user (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--surfaces", paramLabel = "LIST", split = ",", defaultValue = "endpoint,rescorer,script",
        description = "Which surfaces to check: endpoint, rescorer, script (default: ${DEFAULT-VALUE}).")
    List<String> surfaceNames;

    @Option(names = "--window", paramLabel = "N",
        description = "Endpoint candidates and rescore window (default: every item, at most " + MAX_WINDOW + ").")
    Integer window;

    @Option(names = "--atol", paramLabel = "X", defaultValue = "1e-4", description = "Absolute score tolerance (default: ${DEFAULT-VALUE}).")
    double atol;

    @Option(names = "--rtol", paramLabel = "X", defaultValue = "1e-4", description = "Relative score tolerance (default: ${DEFAULT-VALUE}).")
    double rtol;

    @Option(names = "--encoder", paramLabel = "MODEL_ID",
        description = "Check users made of histories by this stored user encoder instead of the users index: each user of --histories is "
            + "encoded offline by --encoder-bundle and online by the plugin, on every surface.")
    String encoderId;

    @Option(names = "--encoder-bundle", paramLabel = "FILE", description = "The encoder bundle that was uploaded (default: DIR/encoder.bundle).")
    Path encoderBundle;

    @Option(names = "--history-field", paramLabel = "FIELD",
        description = "With --encoder: the items' field the encoder reads history vectors from (default: " + IndexCommand.HISTORY_FIELD
            + " for a model with history vectors, else --field).")
    String historyField;

    @Option(names = "--histories", paramLabel = "FILE",
        description = "With --encoder: JSON lines {\"id\": \"u1\", \"history\": [\"i3\", \"i9\"]}, oldest item first; --user and --sample pick from it.")
    Path histories;

    @Option(names = "--min-agreement", paramLabel = "SHARE", defaultValue = "1.0",
        description = "Lowest rank agreement allowed for any user, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double minAgreement;

    @Override
    public Integer call() throws IOException {
        Set<Surface> surfaces = surfaces();
        checkOptions();
        TrainingOutput output = new TrainingOutput(model);
        TrainingManifest manifest = output.manifest();
        Path bundleFile = bundle != null ? bundle : encoderId != null ? output.encodedBundleFile() : output.bundleFile();
        if (Files.isRegularFile(bundleFile) == false) {
            throw new IOException(bundleFile + " does not exist; pass --bundle with the file that was uploaded");
        }
        ModelBundle parsed = TrainingOutput.readBundle(bundleFile).parsed();
        // the plain Java kernel: the reference must not depend on the native code it checks
        ScoringModel scorer = parsed.compile(KernelProvider.jvmOnly());
        OfflineCatalog items = OfflineCatalog.load(output.itemsFile(manifest), parsed.itemDims());
        Path historyFile = output.historyFile(manifest);
        // the vectors the encoder reads: the model's own history vectors where it has them, else the item vectors
        OfflineCatalog historyVectors = encoderId == null || historyFile == null ? items : OfflineCatalog.load(historyFile, manifest.historyDims());
        String readFrom = historyField != null ? historyField : historyFile != null ? IndexCommand.HISTORY_FIELD : indices.field;
        ModelBundle encoder = encoderId == null ? null : encoderBundle(output, parsed, historyVectors.dims());
        Map<String, EncodedUsers.User> encoded = encoder == null ? Map.of()
            : EncodedUsers.load(histories, users, sample, seed, encoder.compileEncoder(), historyVectors);
        Map<String, float[]> sampled;
        if (encoder == null) {
            sampled = sampleUsers(output.usersFile(manifest), parsed.userDims());
        } else {
            sampled = new LinkedHashMap<>();
            for (Map.Entry<String, EncodedUsers.User> user : encoded.entrySet()) {
                sampled.put(user.getKey(), user.getValue().vector());
            }
        }
        int reach = window != null ? window : Math.min(items.size(), MAX_WINDOW);

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<Surface, ParityTally> tallies = new LinkedHashMap<>();
        for (Surface s : surfaces) {
            tallies.put(s, new ParityTally(s.label(), atol, rtol));
        }
        double userVectorDiff = 0;
        try (OpenSearchConnection connection = cluster.connect()) {
            checkStored(connection, modelId, parsed, "--bundle");
            if (encoder != null) {
                checkStored(connection, encoderId, encoder, "--encoder-bundle");
            }
            // the endpoint's candidates come from the index's own similarity, whatever the manifest says
            // a user one dimension short of the items (their last is a bias) cannot search the field: match_all finds the candidates
            boolean knn = parsed.userDims() == parsed.itemDims();
            ReferenceRanking reference = new ReferenceRanking(items, fieldSimilarity(connection, manifest.similarity()), k, reach, knn);
            RecommendationClient lookups = new RecommendationClient(connection);
            PluginSurfaces plugin = new PluginSurfaces(connection, indices.users, indices.items, indices.field, modelId, knn);
            float[] scores = new float[items.size()];
            for (Map.Entry<String, float[]> user : sampled.entrySet()) {
                float[] stored = null;
                if (encoder == null) {
                    stored = lookups.userVector(indices.users, user.getKey(), indices.field);
                    userVectorDiff = Math.max(userVectorDiff, maxDifference(user.getKey(), stored, user.getValue()));
                }
                scorer.score(user.getValue(), items.vectors(), items.size(), scores);
                Map<Surface, ReferenceRanking.Expected> expected = reference.expected(surfaces, user.getValue(), scores);
                for (Surface s : surfaces) {
                    List<ScoredItem> online = encoder == null ? plugin.rank(s, user.getKey(), stored, k, reach)
                        : plugin.rankHistory(s, encoded.get(user.getKey()).history(), readFrom, encoderId, "user [" + user.getKey() + "]", k, reach);
                    tallies.get(s).add(user.getKey(), online, scores, items, expected.get(s));
                }
            }
        }
        err.flush();
        return report(out, tallies.values(), sampled.size(), items.size(), reach, encoder == null ? userVectorDiff : Double.NaN, readFrom);
    }

    private Set<Surface> surfaces() {
        if (encoderId != null) {
            if (histories == null) {
                throw new ParameterException(spec.commandLine(), "--encoder needs --histories: the users it encodes");
            }
        } else if (histories != null || encoderBundle != null || historyField != null) {
            throw new ParameterException(spec.commandLine(), "--histories, --encoder-bundle and --history-field go with --encoder");
        }
        Set<Surface> chosen = EnumSet.noneOf(Surface.class);
        for (String name : surfaceNames) {
            Surface match = null;
            for (Surface s : Surface.values()) {
                if (s.label().equals(name.trim())) {
                    match = s;
                }
            }
            if (match == null) {
                throw new ParameterException(spec.commandLine(), "--surfaces takes endpoint, rescorer and script, not [" + name + "]");
            }
            chosen.add(match);
        }
        return chosen;
    }

    private void checkOptions() {
        if (k < 1 || k > MAX_WINDOW) {
            throw new ParameterException(spec.commandLine(), "--k must be between 1 and " + MAX_WINDOW + " but was " + k);
        }
        if (window != null && (window < k || window > MAX_WINDOW)) {
            throw new ParameterException(spec.commandLine(), "--window must be between --k and " + MAX_WINDOW + " but was " + window);
        }
        if (users.isEmpty() && sample < 1) {
            throw new ParameterException(spec.commandLine(), "--sample must be at least 1 but was " + sample);
        }
        if (atol < 0 || rtol < 0 || Double.isFinite(atol + rtol) == false) {
            throw new ParameterException(spec.commandLine(), "--atol and --rtol must be finite and non-negative");
        }
        if (minAgreement < 0 || minAgreement > 1) {
            throw new ParameterException(spec.commandLine(), "--min-agreement must be between 0 and 1 but was " + minAgreement);
        }
    }

    /**
     * The --user ids in order, or a seeded sample of the file's users (reservoir sampling: one pass, memory for the
     * sample only); each with its offline vector.
     */
    private Map<String, float[]> sampleUsers(Path file, int dims) throws IOException {
        Map<String, float[]> wanted = new LinkedHashMap<>();
        Reservoir<EmbeddingEntry> reservoir = new Reservoir<>(sample, seed);
        try (EmbeddingReader reader = new EmbeddingReader(file, dims)) {
            for (EmbeddingEntry e = reader.next(); e != null; e = reader.next()) {
                if (users.isEmpty()) {
                    reservoir.offer(e);
                } else if (users.contains(e.id())) {
                    wanted.put(e.id(), e.vector());
                }
            }
        }
        Map<String, float[]> chosen = new LinkedHashMap<>();
        if (users.isEmpty()) {
            reservoir.sample().forEach(e -> chosen.put(e.id(), e.vector()));
            return chosen;
        }
        for (String id : users) {
            float[] v = wanted.get(id);
            if (v == null) {
                throw new IllegalArgumentException("--user [" + id + "] is not in " + file);
            }
            chosen.put(id, v);
        }
        return chosen;
    }

    /** Refuses to compare against a store that holds another model than the bundle. */
    private void checkStored(OpenSearchConnection connection, String id, ModelBundle parsed, String option) throws ClusterException {
        String checksum = new ModelStoreClient(connection).get(id, false)
            .orElseThrow(() -> new ClusterException("model [" + id + "] is not in the model store; run `model-tools upload` first"))
            .checksum();
        if (checksum.equals(parsed.checksum()) == false) {
            throw new ClusterException("model [" + id + "] in the store has checksum " + checksum + " but the bundle has " + parsed.checksum()
                + "; upload the bundle (or pass " + option + " with the one that was uploaded)");
        }
    }

    /**
     * The encoder bundle, which must be a user encoder that reads vectors of {@code historyDims} and makes users the
     * scoring bundle takes.
     */
    private ModelBundle encoderBundle(TrainingOutput output, ModelBundle scoring, int historyDims) throws IOException {
        Path file = encoderBundle != null ? encoderBundle : output.encoderFile();
        if (Files.isRegularFile(file) == false) {
            throw new IOException(file + " does not exist; pass --encoder-bundle with the encoder that was uploaded");
        }
        ModelBundle parsed = TrainingOutput.readBundle(file).parsed();
        if (parsed.isEncoder() == false) {
            throw new ParameterException(spec.commandLine(), file + " holds a [" + parsed.type() + "] model, not a user encoder");
        }
        if (parsed.itemDims() != historyDims || parsed.userDims() != scoring.userDims()) {
            throw new ParameterException(spec.commandLine(), file + " reads items of " + parsed.itemDims() + " dimensions and makes users of "
                + parsed.userDims() + ", but the history vectors have " + historyDims + " and the model scores users of " + scoring.userDims()
                + " against items of " + scoring.itemDims());
        }
        return parsed;
    }

    /** The similarity the items index maps its vector field with; {@code fallback} when the mapping does not say. */
    private String fieldSimilarity(OpenSearchConnection connection, String fallback) throws ClusterException {
        ClusterResponse response = connection.sendJson("GET", "/" + OpenSearchConnection.encode(indices.items) + "/_mapping", null);
        if (response.ok() == false) {
            throw new ClusterException("reading the mapping of [" + indices.items + "] failed with " + response.status() + ": "
                + response.errorSummary());
        }
        JsonNode field = IndexMapping.fieldMapping(response.json(), indices.field);
        if (field.path("type").asText().equals("embedding") == false) {
            throw new ClusterException("[" + indices.field + "] in [" + indices.items + "] is not an embedding field");
        }
        return field.path("similarity").asText(fallback);
    }

    private static double maxDifference(String user, float[] stored, float[] offline) throws ClusterException {
        if (stored.length != offline.length) {
            throw new ClusterException("user [" + user + "] has " + stored.length + " dimensions in the index but " + offline.length + " offline");
        }
        double max = 0;
        for (int i = 0; i < stored.length; i++) {
            max = Math.max(max, Math.abs(stored[i] - offline[i]));
        }
        return max;
    }

    private int report(PrintWriter out, Iterable<ParityTally> tallies, int userCount, int itemCount, int reach, double userVectorDiff,
        String historyVectorField) {
        out.printf(Locale.ROOT, "parity of model [%s] on [%s]: %d users, top %d of %,d items, candidates/window %,d, tolerance %.1g + %.1g x |score|%n",
            modelId, indices.items, userCount, k, itemCount, reach, atol, rtol);
        boolean ok = Double.isNaN(userVectorDiff) || userVectorDiff <= atol;
        if (Double.isNaN(userVectorDiff)) {
            out.printf(Locale.ROOT, "users encoded from their histories by [%s], offline and in the cluster (history vectors in [%s])%n", encoderId,
                historyVectorField);
        } else {
            out.printf(Locale.ROOT, "user vectors in [%s] vs offline: max |difference| %.3g%s%n", indices.users, userVectorDiff, ok ? "" : "  FAIL");
        }
        out.printf(Locale.ROOT, "%-9s %6s %8s %12s %12s %10s %10s  %s%n", "surface", "users", "items", "max |diff|", "max rel", "agreement", "min", "result");
        for (ParityTally t : tallies) {
            boolean passes = t.passes(minAgreement);
            ok &= passes;
            out.printf(Locale.ROOT, "%-9s %6d %8d %12.3g %12.3g %10s %10s  %s%n", t.surface(), t.users(), t.items(), t.maxAbs(), t.maxRel(),
                share(t.meanAgreement()), share(t.minAgreement()), passes ? "ok" : "FAIL");
            for (String example : t.examples()) {
                out.println("    " + example);
            }
        }
        out.println(ok ? "parity: ok" : "parity: FAILED");
        out.flush();
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static String share(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }
}
