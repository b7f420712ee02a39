package org.recommender.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.recommender.core.io.EmbeddingEntry;
import org.recommender.core.io.EmbeddingReader;
import org.recommender.core.io.TrainingManifest;
import org.recommender.tools.data.SeenItems;
import org.recommender.tools.cluster.BulkIndexer;
import org.recommender.tools.cluster.BulkItemFailure;
import org.recommender.tools.cluster.ClusterException;
import org.recommender.tools.cluster.ClusterResponse;
import org.recommender.tools.cluster.IndexMapping;
import org.recommender.tools.cluster.IndexPreparer;
import org.recommender.tools.cluster.IndexProgress;
import org.recommender.tools.cluster.IndexReport;
import org.recommender.tools.cluster.OpenSearchConnection;
import org.recommender.tools.output.TrainingOutput;
import org.recommender.tools.parity.OfflineCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code model-tools index}: bulk-indexes the user and item embeddings of a training output directory, creating
 * the indices from mapping files when missing, and checks the final document counts. Checks every input first,
 * then runs one {@link IndexJob} per side, which decides whether an interrupted run is resumed.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Bulk-index the embeddings of a training output directory into OpenSearch.",
        "Creates each missing index from its mapping (dims taken from manifest.json), sends documents "
            + "{\"user_id\"|\"item_id\": ID, \"embedding\": [...]} with _id = ID in batches, retries 429/5xx with "
            + "back-off, refreshes, and checks that _count equals the documents written (exit 1 otherwise).",
        "An interrupted run (killed, network gone, retries exhausted) resumes on the next run with the same model, index and "
            + "URL: finished batches are recorded in DIR/.index-progress-INDEX.json and skipped; --restart starts over.",
        "With --seen-from, user documents also list the items each user interacted with (a keyword field, default "
            + "seen_items), for _recommend's exclude.seen_field.",
        "A model whose user encoder reads vectors of its own (multdae: manifest.json names files.history) also gets them indexed: "
            + "each item document carries its history vector in --history-field, the field a history user spec names." }
)
public final class IndexCommand implements Callable<Integer> {
    /** The default item document field of history vectors; {@code parity} reads them there too. */
    static final String HISTORY_FIELD = "history_embedding";
    /** What the progress of reading a vectors file counts. */
    private static final ProgressDisplay.Unit VECTORS = ProgressDisplay.Unit.of("vectors");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Training output directory (the --out of train).")
    Path model;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    IndexNames indices;

    @Option(names = "--mapping", paramLabel = "users|items=FILE",
        description = "Create-index body to use instead of the bundled config/mappings/{users,items}.json; repeatable.")
    Map<String, Path> mappings = Map.of();

    @Option(names = "--only", paramLabel = "users|items", description = "Index only this side (default: both).")
    String only;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000", description = "Documents per _bulk request (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4",
        description = "_bulk requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--recreate", description = "Delete each index first if it exists (removes documents of an older model). "
        + "Not applied when resuming an interrupted run, whose index it would empty.")
    boolean recreate;

    @Option(names = "--write", paramLabel = "auto|replace|update", defaultValue = "auto",
        description = "How documents are written: replace (index action: the document becomes exactly the vector and id), update (partial "
            + "update with upsert: existing documents keep their other fields), or auto: replace into an index this run created, "
            + "update into one that existed (default: ${DEFAULT-VALUE}).")
    String write;

    @Option(names = "--restart", description = "Ignore the progress of an interrupted earlier run and send every document again.")
    boolean restart;

    @Option(names = "--seen-from", paramLabel = "FILE",
        description = "Interactions file (read like train's --data, with the options below): each user document gets the distinct ids "
            + "of the items the user interacted with, sorted, in --seen-field. Users without interactions get no such field.")
    Path seenFrom;

    @Option(names = "--seen-field", paramLabel = "FIELD", defaultValue = "seen_items",
        description = "User document field for --seen-from, mapped as keyword (default: ${DEFAULT-VALUE}).")
    String seenField;

    @Option(names = "--max-seen", paramLabel = "N", defaultValue = "" + SeenItems.DEFAULT_MAX,
        description = "With --seen-from: keep each user's N most recent distinct items, to bound document size (default: ${DEFAULT-VALUE}).")
    int maxSeen;

    @Mixin
    InteractionFileOptions seenData;

    @Option(names = "--history-field", paramLabel = "FIELD", defaultValue = HISTORY_FIELD,
        description = "Item document field for the history vectors of a model that has them (multdae), mapped as an embedding field "
            + "that is not searched (default: ${DEFAULT-VALUE}).")
    String historyField;

    @Option(names = { "-q", "--quiet" }, description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        for (String key : mappings.keySet()) {
            if (Set.of("users", "items").contains(key) == false) {
                throw new ParameterException(spec.commandLine(), "--mapping takes users=FILE or items=FILE, not [" + key + "=…]");
            }
        }
        if (only != null && Set.of("users", "items").contains(only) == false) {
            throw new ParameterException(spec.commandLine(), "--only must be users or items but was [" + only + "]");
        }
        BulkIndexer.checkBatchSize(batchSize);
        if (Set.of("auto", "replace", "update").contains(write) == false) {
            throw new ParameterException(spec.commandLine(), "--write must be auto, replace or update but was [" + write + "]");
        }
        BulkIndexer.checkConcurrency(concurrency);
        checkSeenOptions();
        TrainingOutput output = new TrainingOutput(model);
        TrainingManifest manifest = output.manifest();
        checkHistoryOptions(manifest);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        boolean items = only == null || only.equals("items");
        IndexJob.History history = items && manifest.historyDims() != null ? loadHistory(output, manifest, stderr) : null;
        List<IndexJob.Target> targets = new ArrayList<>();
        if (only == null || only.equals("users")) {
            targets.add(new IndexJob.Target("users", indices.users, "user_id", output.usersFile(manifest), manifest.counts().users()));
        }
        if (only == null || only.equals("items")) {
            targets.add(new IndexJob.Target("items", indices.items, "item_id", output.itemsFile(manifest), manifest.counts().items()));
        }
        // check every input before touching the cluster, so a bad file cannot leave an index half-written
        List<IndexMapping> targetMappings = new ArrayList<>();
        for (IndexJob.Target t : targets) {
            Path file = mappings.get(t.name());
            IndexMapping mapping = file == null ? IndexMapping.bundled(t.name()) : IndexMapping.read(file);
            mapping.withDims(indices.field, manifest.dims()); // validates that the mapping has the field
            if (seenFrom != null && t.name().equals("users")) {
                mapping = mapping.withKeyword(seenField);
            }
            IndexJob.History vectors = t.name().equals("items") ? history : null;
            if (vectors != null) {
                mapping = mapping.withEmbedding(vectors.field(), vectors.dims());
            }
            targetMappings.add(mapping);
            try (ProgressDisplay progress = ProgressDisplay.start("checking " + t.file().getFileName(), t.expected(), VECTORS, quiet, stderr)) {
                checkVectors(t, manifest.dims(), vectors, progress);
            }
        }

        IndexJob.Seen seen = seenFrom == null ? null : loadSeen(stderr);
        IndexJob.Options options = new IndexJob.Options(indices.field, manifest.dims(), write, recreate, restart, quiet);
        List<IndexReport> reports = new ArrayList<>();
        Set<String> updatedInPlace = new HashSet<>();
        try (OpenSearchConnection connection = cluster.connect()) {
            describeCluster(connection, stderr);
            IndexPreparer preparer = new IndexPreparer(connection);
            BulkIndexer indexer = new BulkIndexer(connection, batchSize, concurrency);
            for (int i = 0; i < targets.size(); i++) {
                IndexJob.Target t = targets.get(i);
                IndexJob job = new IndexJob(t, targetMappings.get(i), output.progressFile(t.index()), options, t.name().equals("users") ? seen : null,
                    t.name().equals("items") ? history : null, stderr);
                IndexJob.Result result = job.run(connection.url().toString(), preparer, indexer);
                IndexReport report = result.report();
                if (result.partialUpdates()) {
                    updatedInPlace.add(t.index());
                }
                reports.add(report);
                stdout.printf(Locale.ROOT, "%s: %,d written to [%s], %,d failed, _count %,d, %.1f s (%,.0f docs/s)%s%n",
                    t.name(), report.written(), report.index(), report.failed(), report.count(), report.seconds(),
                    (report.read() - report.resumedFrom()) / Math.max(report.seconds(), 1e-3),
                    report.resumedFrom() == 0 ? "" : String.format(Locale.ROOT, "; resumed after %,d", report.resumedFrom()));
                stdout.flush();
            }
        }
        return check(reports, updatedInPlace, stdout);
    }

    private IndexJob.Seen loadSeen(PrintWriter stderr) throws IOException {
        SeenItems seen = SeenItems.of(seenData.load(seenFrom, quiet, stderr), maxSeen);
        stderr.printf(Locale.ROOT, "seen items: %,d users, %,d (user, item) pairs in [%s]%s%n", seen.users(), seen.total(), seenField,
            seen.cappedUsers() == 0 ? "" : String.format(Locale.ROOT, "; %,d users cut to their latest %,d", seen.cappedUsers(), maxSeen));
        stderr.flush();
        return new IndexJob.Seen(seen, seenField, IndexProgress.describe(seenFrom) + ", field " + seenField + ", max " + maxSeen);
    }

    /** Refuses seen-item options that would be ignored or would clash with the other fields. */
    private void checkSeenOptions() {
        if (seenFrom == null) {
            MatchedOptions.refuse(spec, "applies to --seen-from, which is not given", seenOnlyOptions().toArray(String[]::new));
            return;
        }
        if ("items".equals(only)) {
            throw new ParameterException(spec.commandLine(), "--seen-from fills the users index, but --only items skips it");
        }
        if (seenField.isBlank() || seenField.equals(indices.field) || seenField.equals("user_id")) {
            throw new ParameterException(spec.commandLine(), "--seen-field must be a field name other than [" + indices.field + "] and [user_id] "
                + "but was [" + seenField + "]");
        }
        if (maxSeen < 1) {
            throw new ParameterException(spec.commandLine(), "--max-seen must be at least 1 but was " + maxSeen);
        }
    }

    private static List<String> seenOnlyOptions() {
        List<String> names = new ArrayList<>(List.of("--seen-field", "--max-seen"));
        names.addAll(InteractionFileOptions.NAMES);
        return names;
    }

    /** Refuses a history field that cannot apply or would clash with the other fields. */
    private void checkHistoryOptions(TrainingManifest manifest) {
        if (manifest.historyDims() == null) {
            if (MatchedOptions.given(spec, "--history-field")) {
                throw new ParameterException(spec.commandLine(), "--history-field applies to a model with history vectors (files.history in "
                    + TrainingManifest.FILE_NAME + "), and " + model + " has none");
            }
            return;
        }
        if ("users".equals(only) && MatchedOptions.given(spec, "--history-field")) {
            throw new ParameterException(spec.commandLine(), "--history-field fills the items index, but --only users skips it");
        }
        if (historyField.isBlank() || historyField.equals(indices.field) || historyField.equals("item_id")) {
            throw new ParameterException(spec.commandLine(), "--history-field must be a field name other than [" + indices.field + "] and [item_id] "
                + "but was [" + historyField + "]");
        }
    }

    /** Reads the history vectors into memory, checking every line and their count (one per item). */
    private IndexJob.History loadHistory(TrainingOutput output, TrainingManifest manifest, PrintWriter stderr) throws IOException {
        Path file = output.historyFile(manifest);
        OfflineCatalog vectors;
        try (ProgressDisplay progress = ProgressDisplay.start("reading " + file.getFileName(), manifest.counts().items(), VECTORS, quiet, stderr)) {
            vectors = OfflineCatalog.load(file, manifest.historyDims(), progress::step);
        }
        if (vectors.size() != manifest.counts().items()) {
            throw new IOException(file + " holds " + vectors.size() + " history vectors but " + TrainingManifest.FILE_NAME + " counts "
                + manifest.counts().items() + " items");
        }
        stderr.printf(Locale.ROOT, "history vectors: %,d items of %d dims for [%s]%n", vectors.size(), manifest.historyDims(), historyField);
        stderr.flush();
        return new IndexJob.History(vectors, historyField, manifest.historyDims(),
            IndexProgress.describe(file) + ", field " + historyField);
    }

    /**
     * Reads the whole file once: every line must be valid, their number must match the manifest, and with history
     * vectors every item must have one. Steps {@code progress} once per vector: a file of millions takes a while.
     */
    static void checkVectors(IndexJob.Target t, int dims, IndexJob.History history, ProgressDisplay progress) throws IOException {
        long lines = 0;
        try (EmbeddingReader reader = new EmbeddingReader(t.file(), dims)) {
            for (EmbeddingEntry e = reader.next(); e != null; e = reader.next()) {
                lines++;
                progress.step(1);
                if (history != null && history.of(e.id()) == null) {
                    throw new IOException(t.file() + ": item [" + e.id() + "] has no history vector");
                }
            }
        }
        if (lines != t.expected()) {
            throw new IOException(t.file() + " holds " + lines + " vectors but " + TrainingManifest.FILE_NAME + " counts " + t.expected());
        }
    }

    private void describeCluster(OpenSearchConnection connection, PrintWriter stderr) throws ClusterException {
        ClusterResponse root = connection.sendJson("GET", "/", null);
        if (root.ok() == false) {
            throw new ClusterException("OpenSearch at " + connection.url() + " answered " + root.status() + ": " + root.errorSummary());
        }
        JsonNode info = root.json();
        stderr.printf("connected to %s %s (cluster %s) at %s%n",
            info.path("version").path("distribution").asText("OpenSearch"),
            info.path("version").path("number").asText("?"),
            info.path("cluster_name").asText("?"),
            connection.url());
    }

    /**
     * Prints the failed documents and turns an incomplete result into a non-zero exit. An index updated in place may
     * hold more documents than the model has (catalog items without a vector): that is reported, not a failure.
     */
    private int check(List<IndexReport> reports, Set<String> updatedInPlace, PrintWriter stdout) throws ClusterException {
        List<String> problems = new ArrayList<>();
        for (IndexReport r : reports) {
            for (BulkItemFailure f : r.firstFailures()) {
                stdout.printf("  failed [%s] %s: %d %s%n", r.index(), f.id(), f.status(), f.reason());
            }
            if (r.failed() > r.firstFailures().size()) {
                stdout.printf("  … and %,d more failed in [%s]%s%n", r.failed() - r.firstFailures().size(), r.index(),
                    r.resumedFrom() > 0 ? " (failures of the interrupted run are counted, not listed)" : "");
            }
            boolean extraKept = updatedInPlace.contains(r.index()) && r.failed() == 0 && r.written() == r.read() && r.count() > r.written();
            if (extraKept) {
                stdout.printf(Locale.ROOT, "  [%s] also holds %,d documents this model has no vector for; updating in place left them as they were%n",
                    r.index(), r.count() - r.written());
            } else if (r.complete() == false) {
                problems.add(String.format(Locale.ROOT, "[%s] has _count %,d but %,d of %,d documents were written (%,d failed)%s",
                    r.index(), r.count(), r.written(), r.read(), r.failed(),
                    r.count() > r.written() && updatedInPlace.contains(r.index()) == false ? "; it holds documents from before (use --recreate)" : ""));
            }
        }
        stdout.flush();
        if (problems.isEmpty() == false) {
            throw new ClusterException("count check failed: " + String.join("; ", problems));
        }
        return ExitCodes.OK;
    }
}
