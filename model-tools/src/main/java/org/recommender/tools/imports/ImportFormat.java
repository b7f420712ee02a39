package org.recommender.tools.imports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The layouts {@code model-tools import} reads, by their {@code --format} names. */
public enum ImportFormat {
    /** Spark ALS factors written as CSV: id first, then the vector as {@code "[…]"} or one column per element. */
    SPARK_CSV("spark-csv"),
    /** Spark ALS factors written with {@code .write.json}: {@code {"id":1,"features":[…]}} per line. */
    SPARK_JSON("spark-json"),
    /** CSV with a header naming the id and vector columns. */
    CSV("csv"),
    /** JSON Lines with named id and vector fields. */
    JSONL("jsonl"),
    /** A NumPy {@code .npy} matrix with an id file. */
    NPY("npy");

    /** The vector field names tried when {@code --vector-field} is not given. */
    public static final List<String> DEFAULT_VECTOR_FIELDS = List.of("features", "vector");
    /** The id field name when {@code --id-field} is not given. */
    public static final String DEFAULT_ID_FIELD = "id";

    private final String label;

    ImportFormat(String label) {
        this.label = label;
    }

    /** @return the {@code --format} name */
    public String label() {
        return label;
    }

    /** @return whether vectors come with a separate id file ({@code --user-ids} / {@code --item-ids}) */
    public boolean needsIdFile() {
        return this == NPY;
    }

    /**
     * @return the format named {@code name}
     * @throws IllegalArgumentException listing the names when none matches
     */
    public static ImportFormat fromLabel(String name) {
        for (ImportFormat f : values()) {
            if (f.label.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown --format [" + name + "]; expected one of " + Arrays.stream(values()).map(ImportFormat::label).toList());
    }

    /**
     * Guesses the format from a file name, or the first part file of a Spark directory: {@code .npy}, {@code .csv}
     * (Spark's CSV layout, which also reads a header), {@code .json} / {@code .jsonl}.
     *
     * @throws IllegalArgumentException when the name does not tell
     */
    public static ImportFormat infer(Path path) throws IOException {
        Path file = path.toString().endsWith(".npy") ? path : SourceFiles.of(path).get(0);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return NPY;
        }
        if (name.endsWith(".csv")) {
            return SPARK_CSV;
        }
        if (name.endsWith(".json") || name.endsWith(".jsonl")) {
            return name.startsWith("part-") ? SPARK_JSON : JSONL;
        }
        throw new IllegalArgumentException("cannot tell the format of " + path + " from its name; give --format");
    }

    /**
     * @param source the file or Spark directory
     * @param idFile the ids of the rows, for {@link #NPY}; ignored otherwise
     * @param idField the id's field or column name, or {@code null} for {@value #DEFAULT_ID_FIELD}
     * @param idOption the option that names the id field of {@code source} (e.g. {@code --user-id-field}), which an
     *     error about a missing id field points to
     * @param vectorField the vector's field or column name, or {@code null} for {@link #DEFAULT_VECTOR_FIELDS}
     * @return a reader of {@code source} in this format
     */
    public FactorReader reader(Path source, Path idFile, String idField, String idOption, String vectorField) throws IOException {
        String id = idField == null ? DEFAULT_ID_FIELD : idField;
        List<String> vector = vectorField == null ? DEFAULT_VECTOR_FIELDS : List.of(vectorField);
        return switch (this) {
            case SPARK_CSV -> CsvFactorReader.spark(SourceFiles.of(source));
            case CSV -> CsvFactorReader.named(SourceFiles.of(source), id, idOption, vector);
            case SPARK_JSON, JSONL -> new JsonLinesFactorReader(SourceFiles.of(source), id, idOption, vector);
            case NPY -> new NpyFactorReader(SourceFiles.of(source).get(0), idFile);
        };
    }
}
