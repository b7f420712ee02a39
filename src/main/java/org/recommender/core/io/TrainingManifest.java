package org.recommender.core.io;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.core.vector.VectorSimilarity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Describes a training run's output directory: which algorithm produced the embeddings, with which
 * hyper-parameters and seed, their dimension and similarity, how much data went in, and which files hold the
 * user and item vectors. Stored as {@value #FILE_NAME} beside those files; {@code docs/embedding-files.md}
 * documents every field. Unknown fields are ignored when reading, so newer writers stay readable.
 *
 * @param formatVersion the version of this layout; readers refuse versions they do not know
 * @param algorithm the training algorithm, e.g. {@code bpr}
 * @param dims the dimension of every user and item vector
 * @param historyDims the dimension of the history vectors (a user encoder's own item table, e.g. Mult-DAE's encoder
 *     columns), or null when the output has none; given exactly when {@code files.history} is
 * @param similarity how user and item vectors are meant to be compared, e.g. {@code dot_product}
 * @param seed the random seed; the same data, hyper-parameters and seed reproduce the same vectors
 * @param hyperParameters algorithm settings by name (sorted when written)
 * @param counts how many users, items and training interactions went in
 * @param trainingSeconds wall-clock time spent training (not loading or evaluating)
 * @param files the embeddings files, relative to the directory holding the manifest
 * @param evaluation optional offline results: model name → metric name → value (e.g. {@code bpr} →
 *     {@code hr@10} → 0.12); empty when not evaluated
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TrainingManifest(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("algorithm") String algorithm,
    @JsonProperty("dims") int dims,
    @JsonProperty("history_dims") Integer historyDims,
    @JsonProperty("similarity") String similarity,
    @JsonProperty("seed") long seed,
    @JsonProperty("hyper_parameters") Map<String, Object> hyperParameters,
    @JsonProperty("counts") Counts counts,
    @JsonProperty("training_seconds") double trainingSeconds,
    @JsonProperty("files") FileNames files,
    @JsonProperty("evaluation") Map<String, Map<String, Double>> evaluation
) {
    /** The manifest's file name inside an output directory. */
    public static final String FILE_NAME = "manifest.json";
    /** The layout version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Default name of the user embeddings file. */
    public static final String USERS_FILE = "users.jsonl";
    /** Default name of the item embeddings file. */
    public static final String ITEMS_FILE = "items.jsonl";
    /** Default name of the history vectors file: one vector per item, what a user encoder reads for a history. */
    public static final String HISTORY_FILE = "history.jsonl";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();

    /**
     * How much data the embeddings were trained on.
     *
     * @param users distinct users
     * @param items distinct items
     * @param interactions training interactions (held-out ones excluded)
     */
    public record Counts(@JsonProperty("users") long users, @JsonProperty("items") long items, @JsonProperty("interactions") long interactions) {}

    /**
     * The embeddings files, as paths relative to the manifest's directory.
     *
     * @param users the user embeddings file
     * @param items the item embeddings file
     * @param history the history vectors file (one vector per item, the same ids as {@code items}), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileNames(@JsonProperty("users") String users, @JsonProperty("items") String items, @JsonProperty("history") String history) {
        /** The canonical constructor is the one JSON reads through. */
        @JsonCreator
        public FileNames {}

        /** Names without a history file. */
        public FileNames(String users, String items) {
            this(users, items, null);
        }

        /** @return the default names {@value TrainingManifest#USERS_FILE} and {@value TrainingManifest#ITEMS_FILE}, no history file */
        public static FileNames defaults() {
            return new FileNames(USERS_FILE, ITEMS_FILE);
        }

        /** @return the default names with {@value TrainingManifest#HISTORY_FILE} */
        public static FileNames defaultsWithHistory() {
            return new FileNames(USERS_FILE, ITEMS_FILE, HISTORY_FILE);
        }
    }

    /** A manifest without history vectors: every output but a user encoder's with its own item table. */
    public TrainingManifest(int formatVersion, String algorithm, int dims, String similarity, long seed, Map<String, Object> hyperParameters,
        Counts counts, double trainingSeconds, FileNames files, Map<String, Map<String, Double>> evaluation) {
        this(formatVersion, algorithm, dims, null, similarity, seed, hyperParameters, counts, trainingSeconds, files, evaluation);
    }

    /** Validates every field so a bad manifest is refused with the field's name. */
    @JsonCreator // the canonical constructor, not the one without history
    public TrainingManifest {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException(
                "[format_version] is " + formatVersion + " but this version reads only " + FORMAT_VERSION
            );
        }
        require(algorithm, "algorithm");
        EmbeddingValidator.checkDimensions("dims", dims);
        VectorSimilarity.fromName(require(similarity, "similarity"));
        require(counts, "counts");
        require(files, "files");
        require(files.users(), "files.users");
        require(files.items(), "files.items");
        if ((historyDims == null) != (files.history() == null)) {
            throw new IllegalArgumentException("[history_dims] and [files.history] go together, but only "
                + (historyDims == null ? "[files.history]" : "[history_dims]") + " is given");
        }
        if (historyDims != null) {
            EmbeddingValidator.checkDimensions("history_dims", historyDims);
        }
        hyperParameters = hyperParameters == null ? Map.of() : new TreeMap<>(hyperParameters);
        evaluation = evaluation == null ? Map.of() : new TreeMap<>(evaluation);
    }

    /** @return the user embeddings file inside {@code dir} */
    public Path usersFile(Path dir) {
        return dir.resolve(files.users());
    }

    /** @return the item embeddings file inside {@code dir} */
    public Path itemsFile(Path dir) {
        return dir.resolve(files.items());
    }

    /** @return the history vectors file inside {@code dir}, or null when the output has none */
    public Path historyFile(Path dir) {
        return files.history() == null ? null : dir.resolve(files.history());
    }

    /** @return a copy with {@code evaluation} replaced */
    public TrainingManifest withEvaluation(Map<String, Map<String, Double>> results) {
        return new TrainingManifest(formatVersion, algorithm, dims, historyDims, similarity, seed, hyperParameters, counts, trainingSeconds, files,
            results);
    }

    /** Writes this manifest as {@code dir/}{@value #FILE_NAME}. */
    public void write(Path dir) throws IOException {
        MAPPER.writeValue(dir.resolve(FILE_NAME).toFile(), this);
    }

    /**
     * Reads {@code dir/}{@value #FILE_NAME}.
     *
     * @throws IOException naming the file when it is missing, not valid JSON or fails validation
     */
    public static TrainingManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file) == false) {
            throw new NoSuchFileException(file.toString(), null, "no " + FILE_NAME + " here; is this a training output directory?");
        }
        try {
            return MAPPER.readValue(file.toFile(), TrainingManifest.class);
        } catch (IOException e) {
            // ValueInstantiationException wraps our own validation message; keep just that message
            Throwable root = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            String message = root instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : root.getMessage();
            throw new IOException(file + ": " + message, e);
        }
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("[" + field + "] is required");
        }
        return value;
    }
}
