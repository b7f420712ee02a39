package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where an interrupted {@code index} run got to, so the next run with the same input resumes instead of starting
 * over. One small JSON file per target index holds how many leading documents of the embeddings file the cluster
 * has answered for (accepted or refused for good), and which file, index (by name and UUID) and cluster that count
 * belongs to. It is
 * rewritten atomically after every batch that extends that prefix, so a killed process leaves either the previous
 * or the next count, never a torn file; documents past the prefix may have been written too, and are simply sent
 * again (documents are indexed by {@code _id}, so this overwrites and never duplicates).
 */
public final class IndexProgress {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ObjectNode identity;
    private boolean partialUpdates;
    private String indexUuid;

    /**
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
        // until this run records its own, a save keeps what the interrupted run recorded: the run saves its position
        // once before deciding its write mode (to find out early whether the file can be written at all)
        JsonNode saved = trusted();
        if (saved != null) {
            this.partialUpdates = saved.path("partial_updates").asBoolean(false);
            this.indexUuid = saved.path("index_uuid").isTextual() ? saved.path("index_uuid").asText() : null;
        }
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

    /** @return the progress file */
    public Path file() {
        return file;
    }

    /**
     * @return the saved position when the file exists and belongs to the same cluster, index and unchanged source;
     *     {@link Position#START} otherwise (a missing, foreign or unreadable file is never trusted)
     */
    public Position saved() {
        JsonNode saved = trusted();
        if (saved == null) {
            return Position.START;
        }
        long documents = saved.path("documents").asLong(-1);
        long failed = saved.path("failed").asLong(-1);
        return documents < 0 || failed < 0 || failed > documents ? Position.START : new Position(documents, failed);
    }

    /**
     * @return whether the interrupted run sent partial updates, when the file is trusted and says so: a resumed
     *     {@code --write auto} run must keep that mode, although the index it created now exists
     */
    public Optional<Boolean> savedPartialUpdates() {
        JsonNode saved = trusted();
        return saved == null || saved.has("partial_updates") == false ? Optional.empty() : Optional.of(saved.path("partial_updates").asBoolean());
    }

    /** Sets the write mode saved with every later position. */
    public void recordPartialUpdates(boolean partial) {
        this.partialUpdates = partial;
    }

    /**
     * @return the UUID of the index the interrupted run wrote to, when the file is trusted and says so: an index of
     *     the same name with another UUID was deleted and created again since, and holds none of those documents
     */
    public Optional<String> savedIndexUuid() {
        JsonNode saved = trusted();
        return saved == null || saved.path("index_uuid").isTextual() == false ? Optional.empty() : Optional.of(saved.path("index_uuid").asText());
    }

    /** Sets the UUID of the target index, saved with every later position. */
    public void recordIndexUuid(String uuid) {
        this.indexUuid = uuid;
    }

    /** @return the saved state when the file exists and has this run's identity, else {@code null} */
    private JsonNode trusted() {
        if (Files.isRegularFile(file) == false) {
            return null;
        }
        try {
            JsonNode saved = JSON.readTree(file.toFile());
            // compared as text: read back, small longs become int nodes, which do not equal long nodes
            return saved.path("identity").toString().equals(identity.toString()) ? saved : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Records {@code position}, replacing the file atomically. */
    public void save(Position position) throws IOException {
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

    /** Forgets the progress once a run has finished. */
    public void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    /** @return the progress file name used for {@code index} inside a model directory */
    public static String fileName(String index) {
        return ".index-progress-" + index.toLowerCase(Locale.ROOT) + ".json";
    }
}
