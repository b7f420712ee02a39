package org.recommender.tools.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code chosen.json}: the setting {@code tune} chose, as {@code evaluate --settings} reads it back — the algorithm,
 * its parameters as typed ({@code dims} and {@code epochs} among them), and in words how they were chosen, which
 * {@code evaluate} copies into its report.
 *
 * @param format {@link #FORMAT}
 * @param algorithm the algorithm's name
 * @param parameters name → value as typed with {@code -P} (or {@code --dims} / {@code --epochs})
 * @param selection how the setting was chosen, e.g. {@code tune random search, 20 trials, validation ndcg@10, …}
 * @param validation the chosen setting's validation score as the search saw it: NDCG@10 on the validation split, or
 *     under nested k-fold ({@code rating-kfold}) its RMSE, averaged over inner folds and outer folds (lower is better);
 *     {@code selection} names which
 */
public record ChosenSettings(String format, String algorithm, Map<String, String> parameters, String selection, double validation) {
    /** The file's format tag. */
    public static final String FORMAT = "model-tools-chosen/1";
    /** The file's name in {@code tune}'s output directory. */
    public static final String FILE = "chosen.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the parameters, keeping their order. */
    public ChosenSettings {
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Writes this as JSON to {@code file}, replacing it. */
    public void write(Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), this);
    }

    /**
     * @return the settings in {@code file}
     * @throws IOException when it cannot be read, is not JSON of this shape, or has another format tag
     */
    public static ChosenSettings read(Path file) throws IOException {
        ChosenSettings s = MAPPER.readValue(file.toFile(), ChosenSettings.class);
        if (FORMAT.equals(s.format()) == false || s.algorithm() == null || s.parameters() == null) {
            throw new IOException(file + " is not a " + FORMAT + " file written by model-tools tune");
        }
        return s;
    }
}
