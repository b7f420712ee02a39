package org.recommender.tools.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads factors from JSON Lines, one object per line, such as Spark's {@code userFactors.write.json(…)}:
 * {@code {"id":1,"features":[0.1,0.2]}}. The id may be a string or an integer (Spark's ids are integers); the vector
 * an array of numbers or a string such as {@code "[0.1,0.2]"}. Other fields are ignored.
 */
public final class JsonLinesFactorReader implements FactorReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Path> files;
    private final String idField;
    private final String idOption;
    private final List<String> vectorFields;

    /**
     * @param files the files to read, in order
     * @param idField the id's field name
     * @param idOption the option that names it, which the error for a line without it points to
     * @param vectorFields names to look for, in order, for the vector's field
     */
    public JsonLinesFactorReader(List<Path> files, String idField, String idOption, List<String> vectorFields) {
        this.files = files;
        this.idField = idField;
        this.idOption = idOption;
        this.vectorFields = List.copyOf(vectorFields);
    }

    @Override
    public void read(FactorSink sink) throws IOException {
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                long line = 0;
                for (String text = in.readLine(); text != null; text = in.readLine()) {
                    line++;
                    if (text.isBlank() == false) {
                        Location where = Location.line(file, line);
                        JsonNode node = parse(text, where);
                        sink.accept(id(node, where), vector(node, where), where);
                    }
                }
            }
        }
    }

    private static JsonNode parse(String text, Location where) throws ImportFileException {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isObject() == false) {
                throw new ImportFileException(where, "expected one JSON object per line");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ImportFileException(where, "not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private String id(JsonNode node, Location where) throws ImportFileException {
        JsonNode id = node.get(idField);
        if (id == null || id.isNull()) {
            throw new ImportFileException(where, "no [" + idField + "] field (see " + idOption + ")");
        }
        if (id.isTextual() || id.isIntegralNumber()) {
            return id.asText();
        }
        throw new ImportFileException(where, "[" + idField + "] must be a string or an integer but was " + id.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    private float[] vector(JsonNode node, Location where) throws ImportFileException {
        for (String name : vectorFields) {
            JsonNode v = node.get(name);
            if (v == null) {
                continue;
            }
            try {
                if (v.isTextual()) {
                    return VectorText.parse(v.asText());
                }
                if (v.isArray() == false) {
                    throw new IllegalArgumentException("[" + name + "] must be an array of numbers");
                }
                float[] vector = new float[v.size()];
                for (int i = 0; i < vector.length; i++) {
                    JsonNode e = v.get(i);
                    if (e.isNumber() == false) {
                        throw new IllegalArgumentException("[" + name + "] element [" + i + "] must be a number but was " + e);
                    }
                    vector[i] = e.floatValue(); // beyond the float32 range becomes infinite, which the validator refuses
                }
                return vector;
            } catch (IllegalArgumentException e) {
                throw new ImportFileException(where, e.getMessage(), e);
            }
        }
        throw new ImportFileException(where, "no vector field " + vectorFields + " (see --vector-field)");
    }
}
