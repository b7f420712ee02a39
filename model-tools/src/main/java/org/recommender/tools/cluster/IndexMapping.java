package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A create-index body ({@code settings} + {@code mappings}) read from a JSON file, such as
 * {@code config/mappings/items.json}, with the vector field's dimension filled in from the training manifest so
 * the same mapping file serves any {@code --dims}.
 */
public final class IndexMapping {
    /** Classpath folder holding the copies of {@code config/mappings/*.json} built into the jar. */
    public static final String BUNDLED_FOLDER = "/mappings/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode body;
    private final String source;

    private IndexMapping(ObjectNode body, String source) {
        this.body = body;
        this.source = source;
    }

    /**
     * Reads a mapping file.
     *
     * @throws IOException naming the file when it is missing or not a JSON object
     */
    public static IndexMapping read(Path file) throws IOException {
        if (Files.exists(file) == false) {
            throw new NoSuchFileException(file.toString(), null, "mapping file not found");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    /**
     * Reads the mapping built into the jar from {@code config/mappings/{name}.json}.
     *
     * @param name {@code users} or {@code items}
     */
    public static IndexMapping bundled(String name) throws IOException {
        String resource = BUNDLED_FOLDER + name + ".json";
        try (InputStream in = IndexMapping.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no bundled mapping " + resource + " in the jar; pass --mapping " + name + "=FILE");
            }
            return parse(in, "config/mappings/" + name + ".json (bundled)");
        }
    }

    private static IndexMapping parse(InputStream in, String source) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(in);
        } catch (IOException e) {
            throw new IOException(source + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (node instanceof ObjectNode object && object.path("mappings").path("properties").isObject()) {
            return new IndexMapping(object, source);
        }
        throw new IOException(source + ": expected a create-index body {\"mappings\":{\"properties\":{…}}}");
    }

    /**
     * Returns the body with the dimension of {@code field} set: {@code dims} for this project's {@code embedding}
     * type, {@code dimension} for the k-NN plugin's {@code knn_vector}. The original is not changed.
     *
     * @throws IllegalArgumentException when the mapping has no such field, or a type without a dimension
     */
    public ObjectNode withDims(String field, int dims) {
        ObjectNode copy = body.deepCopy();
        JsonNode mapping = copy.path("mappings").path("properties").path(field);
        if (mapping instanceof ObjectNode fieldMapping) {
            setDims(fieldMapping, field, dims);
            return copy;
        }
        throw new IllegalArgumentException(source + ": no field [" + field + "] under mappings.properties");
    }

    /**
     * @return this mapping with a second vector field {@code field} of {@code dims} dimensions: the declared one with
     *     its dimension set (as {@link #withDims}), or, when the mapping does not declare it, {@link #historyEmbedding}
     * @throws IllegalArgumentException when the mapping declares the field with a type that has no dimension
     */
    public IndexMapping withEmbedding(String field, int dims) {
        ObjectNode copy = body.deepCopy();
        ObjectNode properties = (ObjectNode) copy.path("mappings").path("properties");
        if (properties.path(field) instanceof ObjectNode declared) {
            setDims(declared, field, dims);
        } else {
            properties.set(field, historyEmbedding(dims));
        }
        return new IndexMapping(copy, source);
    }

    /**
     * @return {@code {"type":"embedding","dims":dims,"similarity":"dot_product","index":false}}: vectors a user
     *     encoder reads by id and never searches, so they need no HNSW graph (and the similarity is never used)
     */
    static ObjectNode historyEmbedding(int dims) {
        return JSON.createObjectNode().put("type", "embedding").put("dims", dims).put("similarity", "dot_product").put("index", false);
    }

    private void setDims(ObjectNode fieldMapping, String field, int dims) {
        switch (fieldMapping.path("type").asText()) {
            case "embedding" -> fieldMapping.put("dims", dims);
            case "knn_vector" -> fieldMapping.put("dimension", dims);
            default -> throw new IllegalArgumentException(
                source + ": field [" + field + "] has type [" + fieldMapping.path("type").asText() + "], expected [embedding]"
            );
        }
    }

    /**
     * @return this mapping with {@code field} added as {@code keyword}; this mapping itself when it declares the
     *     field already (its declared type is kept)
     */
    public IndexMapping withKeyword(String field) {
        if (body.path("mappings").path("properties").has(field)) {
            return this;
        }
        ObjectNode copy = body.deepCopy();
        ((ObjectNode) copy.path("mappings").path("properties")).set(field, keyword());
        return new IndexMapping(copy, source);
    }

    /** @return {@code {"type":"keyword"}} */
    static ObjectNode keyword() {
        return JSON.createObjectNode().put("type", "keyword");
    }

    /** @return where this mapping came from, for messages */
    public String source() {
        return source;
    }

    /**
     * Reads the dimension an existing index declares for {@code field} from a {@code GET /{index}/_mapping} response.
     *
     * @return the dimension, or empty when the index does not map the field (or maps it without a dimension)
     */
    public static OptionalInt declaredDims(JsonNode getMappingResponse, String field) {
        JsonNode f = fieldMapping(getMappingResponse, field);
        JsonNode dims = f.has("dims") ? f.path("dims") : f.path("dimension");
        return dims.canConvertToInt() && dims.isNumber() ? OptionalInt.of(dims.intValue()) : OptionalInt.empty();
    }

    /**
     * Finds {@code field}'s mapping in a {@code GET /{index}/_mapping} response; a dotted name walks object fields.
     *
     * @return the field's mapping in the first index that maps it, or a missing node
     */
    public static JsonNode fieldMapping(JsonNode getMappingResponse, String field) {
        for (JsonNode index : getMappingResponse) {
            JsonNode node = index.path("mappings");
            for (String part : field.split("\\.")) {
                node = node.path("properties").path(part);
            }
            if (node.isMissingNode() == false) {
                return node;
            }
        }
        return MissingNode.getInstance();
    }
}
