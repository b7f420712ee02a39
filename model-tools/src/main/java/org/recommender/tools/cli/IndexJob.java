package org.recommender.tools.cli;

import org.recommender.core.io.EmbeddingReader;
import org.recommender.tools.cluster.BulkBody;
import org.recommender.tools.cluster.BulkIndexer;
import org.recommender.tools.cluster.IndexMapping;
import org.recommender.tools.cluster.IndexPreparer;
import org.recommender.tools.cluster.IndexProgress;
import org.recommender.tools.cluster.IndexReport;
import org.recommender.tools.data.SeenItems;

import org.recommender.tools.parity.OfflineCatalog;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Indexes one side of a training output (its users or its items) into one index, and owns the resume policy of
 * {@code model-tools index}:
 * <ul>
 *   <li>an interrupted run's progress is trusted only for the same cluster, index, options and unchanged vectors
 *       ({@link IndexProgress}), and {@code --restart} forgets it;</li>
 *   <li>a resumed run never recreates the index ({@code --recreate} would empty what it resumes), and resumes only
 *       into the index the interrupted run filled: one created now, or one with another UUID, was emptied since, so
 *       every document is sent;</li>
 *   <li>a resumed {@code --write auto} run keeps the interrupted run's write mode, since the index that run created
 *       now exists and would otherwise switch it to partial updates;</li>
 *   <li>progress that cannot be saved (a read-only directory) is reported before anything is sent, and the run goes on
 *       without it; a finished run removes its progress file.</li>
 * </ul>
 */
final class IndexJob {
    /** One side of the model: where its vectors are and where they go. */
    record Target(String name, String index, String idField, Path file, long expected) {}

    /**
     * The command's options that shape every side.
     *
     * @param field the vector field
     * @param dims the vectors' dimension
     * @param write {@code auto}, {@code replace} or {@code update}
     * @param recreate whether to delete an existing index first (not when resuming)
     * @param restart whether to ignore an interrupted run's progress
     * @param quiet whether to hide the progress bar
     */
    record Options(String field, int dims, String write, boolean recreate, boolean restart, boolean quiet) {}

    /**
     * Seen items for user documents.
     *
     * @param items each user's items
     * @param field the keyword field they go in
     * @param source what they were read from, as part of the progress identity
     */
    record Seen(SeenItems items, String field, String source) {}

    /**
     * History vectors for item documents: what a user encoder reads for an item, in a vector field of its own.
     *
     * @param vectors by item id, one for every item of the target's file (checked before the job starts)
     * @param field the vector field they go in
     * @param dims their dimension
     * @param source what they were read from, as part of the progress identity
     */
    record History(OfflineCatalog vectors, String field, int dims, String source) {
        /** @return the history vector of item {@code id}, or null when the file has none */
        float[] of(String id) {
            int p = vectors.position(id);
            return p < 0 ? null : vectors.vectors()[p];
        }
    }

    /**
     * @param report what was written and counted
     * @param partialUpdates whether documents were updated in place (an index that existed may hold other documents)
     */
    record Result(IndexReport report, boolean partialUpdates) {}

    private final Target target;
    private final IndexMapping mapping;
    private final Path progressFile;
    private final Options options;
    private final Seen seen;
    private final History history;
    private final PrintWriter stderr;

    /**
     * @param progressFile where this side's progress is kept (inside the training output)
     * @param seen seen items to add to the documents, or null
     * @param history history vectors to add to the documents, or null
     */
    IndexJob(Target target, IndexMapping mapping, Path progressFile, Options options, Seen seen, History history, PrintWriter stderr) {
        this.target = target;
        this.mapping = mapping;
        this.progressFile = progressFile;
        this.options = options;
        this.seen = seen;
        this.history = history;
        this.stderr = stderr;
    }

    /** Prepares the index, decides whether to resume, and sends the documents. */
    Result run(String url, IndexPreparer preparer, BulkIndexer indexer) throws IOException {
        String name = target.name();
        IndexProgress progress = new IndexProgress(progressFile, url, target.index(), target.file(), shape());
        if (options.restart()) {
            forget(progress, "--restart");
        }
        // --restart never resumes, even where the old file could not be removed
        IndexProgress.Snapshot saved = options.restart() ? IndexProgress.Snapshot.NONE : progress.read();
        IndexProgress.Writer record = writer(progress, saved);
        IndexPreparer.Outcome outcome = preparer.prepare(target.index(), mapping, options.field(), options.dims(),
            options.recreate() && saved.resumable() == false);
        stderr.printf("%s: index [%s] %s%n", name, target.index(), outcome.name().toLowerCase(Locale.ROOT));
        Optional<String> uuid = preparer.uuid(target.index());
        boolean resuming = resumes(saved, outcome, uuid);
        if (saved.resumable() && resuming == false) {
            forget(progress, "the interrupted run's index is gone or changed");
        }
        BulkBody body = new BulkBody(target.idField(), options.field());
        if (seen != null) {
            if (outcome == IndexPreparer.Outcome.EXISTING && preparer.addKeywordIfMissing(target.index(), seen.field())) {
                stderr.printf("%s: added [%s] to the mapping of [%s] as keyword%n", name, seen.field(), target.index());
            }
            body = body.withIds(seen.field(), seen.items()::of);
        }
        if (history != null) {
            if (outcome == IndexPreparer.Outcome.EXISTING && preparer.addEmbeddingIfMissing(target.index(), history.field(), history.dims())) {
                stderr.printf("%s: added [%s] to the mapping of [%s] as an embedding field of %d dims%n", name, history.field(), target.index(),
                    history.dims());
            }
            body = body.withVector(history.field(), history::of);
        }
        boolean partial = options.write().equals("update") || (options.write().equals("auto") && outcome == IndexPreparer.Outcome.EXISTING);
        if (resuming && outcome == IndexPreparer.Outcome.EXISTING && options.write().equals("auto")) {
            // the interrupted run may have created this index and replaced documents: keep its mode
            partial = saved.partialUpdates().orElse(partial);
        }
        if (record != null) {
            record.recordPartialUpdates(partial);
            record.recordIndexUuid(uuid.orElse(null));
        }
        if (partial) {
            // an index that was there before may hold documents with other fields: keep them
            body = body.asPartialUpdates();
            stderr.printf("%s: updating documents in place (other fields are kept; missing documents are created)%n", name);
        }
        stderr.flush();
        IndexReport report;
        try (EmbeddingReader reader = new EmbeddingReader(target.file(), options.dims());
            ProgressDisplay bar = ProgressDisplay.start("index " + target.index(), target.expected(), ProgressDisplay.Unit.of("docs"), options.quiet(),
                stderr)) {
            report = indexer.index(target.index(), reader, body, resuming ? saved.position() : IndexProgress.Position.START, record, bar::step);
        }
        if (record != null) {
            forget(progress, "the run finished");
        }
        return new Result(report, partial);
    }

    /**
     * Removes the progress file; where it cannot (a read-only directory), says so and goes on: this run's own saves
     * replace the file, and a file that does not match the next run's shape or index is never resumed from.
     */
    private void forget(IndexProgress progress, String why) {
        try {
            progress.clear();
        } catch (IOException e) {
            stderr.printf("%s: cannot remove %s (%s) after %s; remove it by hand if a later run should not resume from it%n",
                target.name(), progress.file(), e.getMessage(), why);
        }
    }

    /** @return what shapes the documents besides the vectors: a run with another shape must not resume this one */
    private Map<String, String> shape() {
        Map<String, String> shape = new TreeMap<>(Map.of("field", options.field(), "id_field", target.idField(), "write", options.write()));
        if (seen != null) {
            shape.put("seen_from", seen.source());
        }
        if (history != null) {
            shape.put("history", history.source());
        }
        return shape;
    }

    /**
     * Saves the interrupted run's state back once, to find out before anything is sent whether progress can be
     * recorded at all. @return the writer, or null where it cannot
     */
    private IndexProgress.Writer writer(IndexProgress progress, IndexProgress.Snapshot saved) {
        IndexProgress.Writer record = progress.writer(saved);
        try {
            record.save(saved.position());
            return record;
        } catch (IOException e) {
            stderr.printf("%s: cannot record progress in %s (%s); if interrupted, this run starts over next time%n", target.name(), progress.file(),
                e.getMessage());
            return null;
        }
    }

    /** @return whether to skip the prefix the interrupted run finished, saying why not where it cannot */
    private boolean resumes(IndexProgress.Snapshot saved, IndexPreparer.Outcome outcome, Optional<String> uuid) {
        if (saved.resumable() == false) {
            return false;
        }
        if (outcome == IndexPreparer.Outcome.CREATED) {
            // the index an earlier run filled is gone: its progress means nothing now
            return false;
        }
        if (uuid.isPresent() && saved.indexUuid().map(uuid.get()::equals).orElse(true) == false) {
            stderr.printf("%s: index [%s] is not the one the interrupted run filled (deleted and created again since): sending every document%n",
                target.name(), target.index());
            return false;
        }
        stderr.printf(Locale.ROOT, "%s: resuming after %,d of %,d documents, which an interrupted earlier run finished (%s; --restart sends "
            + "everything again)%n", target.name(), saved.position().documents(), target.expected(), progressFile.getFileName());
        return true;
    }
}
