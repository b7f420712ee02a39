package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where an interrupted {@code index} run got to, so the next run with the same input resumes instead of starting
 * over. One small JSON file per target index holds how many leading documents of the embeddings file the cluster
 * has answered for (accepted or refused for good), and which file, index (by name and UUID) and cluster that count
 * belongs to.
 *
 * <p>A run {@linkplain #read reads} the file once, as a {@link Snapshot} of what the interrupted run saved, and
 * records its own progress through a {@link Writer}, which rewrites the file atomically after every batch that
 * extends the finished prefix: a killed process leaves either the previous or the next count, never a torn file.
 * Documents past the prefix may have been written too, and are simply sent again (documents are indexed by
 * {@code _id}, so this overwrites and never duplicates).
 */
public final class IndexProgress {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ObjectNode identity;

    /**
     * Reads nothing yet: the file is read by {@link #read}.
     *
     * @param file the progress file
     * @param url the cluster
     * @param index the target index
     * @param source the embeddings file being indexed; its size and modification time are part of the identity, so a
     *     retrained model never resumes from another file's count
     * @param options whatever else shapes the documents (field names, write mode, the seen-items file…): a run with
     *     other options does not resume, since the skipped documents would not look like the ones it writes
     */
    public IndexProgress(Path file, String url, String index, Path source, Map<String, String> options) throws IOException {
        this.file = file;
        this.identity = JSON.createObjectNode();
        identity.put("url", url);
        identity.put("index", index);
        identity.put("source", source.toAbsolutePath().normalize().toString());
        identity.put("source_bytes", Files.size(source));
        identity.put("source_modified_ms", Files.getLastModifiedTime(source).toMillis());
        new TreeMap<>(options).forEach(identity::put);
    }

    /** @return a description of {@code file} that changes when it is rewritten: its path, size and modification time */
    public static String describe(Path file) throws IOException {
        return file.toAbsolutePath().normalize() + " " + Files.size(file) + " bytes, modified " + Files.getLastModifiedTime(file).toMillis();
    }

    /** A resumable position: the first {@code documents} of the file are done, {@code failed} of them refused. */
    public record Position(long documents, long failed) {
        /** Where a fresh run starts. */
        public static final Position START = new Position(0, 0);
    }

    /**
     * What an interrupted run saved.
     *
     * @param position the finished prefix; {@link Position#START} when nothing is trusted
     * @param partialUpdates whether that run sent partial updates, when it said so: a resumed {@code --write auto} run
     *     must keep that mode, although the index it created now exists
     * @param indexUuid the UUID of the index that run wrote to, when it said so: an index of the same name with another
     *     UUID was deleted and created again since, and holds none of those documents
     */
    public record Snapshot(Position position, Optional<Boolean> partialUpdates, Optional<String> indexUuid) {
        /** Nothing saved, or nothing trusted. */
        public static final Snapshot NONE = new Snapshot(Position.START, Optional.empty(), Optional.empty());

        /** @return whether there is a finished prefix to skip */
        public boolean resumable() {
            return position.documents() > 0;
        }
    }

    /** @return the progress file */
    public Path file() {
        return file;
    }

    /**
     * Reads the file.
     *
     * @return what it holds when it exists and belongs to the same cluster, index, options and unchanged source;
     *     {@link Snapshot#NONE} otherwise (a missing, foreign, torn or inconsistent file is never trusted)
     */
    public Snapshot read() {
        if (Files.isRegularFile(file) == false) {
            return Snapshot.NONE;
        }
        JsonNode saved;
        try {
            saved = JSON.readTree(file.toFile());
        } catch (IOException e) {
            return Snapshot.NONE;
        }
        // compared as text: read back, small longs become int nodes, which do not equal long nodes
        if (saved == null || saved.path("identity").toString().equals(identity.toString()) == false) {
            return Snapshot.NONE;
        }
        long documents = saved.path("documents").asLong(-1);
        long failed = saved.path("failed").asLong(-1);
        Position position = documents < 0 || failed < 0 || failed > documents ? Position.START : new Position(documents, failed);
        return new Snapshot(position,
            saved.has("partial_updates") ? Optional.of(saved.path("partial_updates").asBoolean()) : Optional.empty(),
            saved.path("index_uuid").isTextual() ? Optional.of(saved.path("index_uuid").asText()) : Optional.empty());
    }

    /**
     * @param from what the interrupted run saved: until this run records its own write mode and index UUID, saves
     *     keep that run's (a run saves once before deciding them, to find out early whether it can save at all)
     * @return this run's writer
     */
    public Writer writer(Snapshot from) {
        return new Writer(from.partialUpdates().orElse(false), from.indexUuid().orElse(null));
    }

    /** Forgets the progress: once a run has finished, or when what it counted no longer exists. */
    public void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    /** This run's progress, saved as it goes. Batches finish on several threads: saves are serialised. */
    public final class Writer {
        private boolean partialUpdates;
        private String indexUuid;

        private Writer(boolean partialUpdates, String indexUuid) {
            this.partialUpdates = partialUpdates;
            this.indexUuid = indexUuid;
        }

        /** @return the progress file */
        public Path file() {
            return file;
        }

        /** Sets the write mode saved with every later position. */
        public synchronized void recordPartialUpdates(boolean partial) {
            this.partialUpdates = partial;
        }

        /** Sets the UUID of the target index (null when unknown), saved with every later position. */
        public synchronized void recordIndexUuid(String uuid) {
            this.indexUuid = uuid;
        }

        /** Records {@code position}, replacing the file atomically. */
        public synchronized void save(Position position) throws IOException {
            ObjectNode state = JSON.createObjectNode();
            state.set("identity", identity);
            state.put("documents", position.documents());
            state.put("failed", position.failed());
            state.put("partial_updates", partialUpdates);
            if (indexUuid != null) {
                state.put("index_uuid", indexUuid);
            }
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), state);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
