package org.recommender.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.InputPart;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the JSON header of a bundle. Reading is strict — unknown fields, fields the type does not use,
 * duplicate keys and values of the wrong JSON type are refused, naming the field — so that a typo never silently
 * changes what a model computes. Writing produces the canonical form: fields in the order of
 * {@code docs/model-format.md}, no insignificant whitespace.
 */
final class HeaderJson {
    /**
     * Deepest nesting a header may have (the header object, the {@code metadata} object and 30 levels inside it). Jackson's
     * default, 1,000, let an uploaded {@code metadata} be stored and then fail the upload's own response with a 500
     * (OpenSearch writes JSON at most 1,000 deep, and the response nests the metadata one level deeper).
     */
    static final int MAX_DEPTH = 32;

    /**
     * Most JSON tokens a header may have. Real headers have tens (a layer is about eight); a 1 MiB header of empty
     * objects has 350,000, and a header is read into three trees at once (the JSON tree, the converted map and its
     * read-only copy) — objects per token that the upload reserves only as a multiple of the bundle's bytes. Bounding
     * the tokens bounds those trees; their bytes per token were estimated from the objects, not measured.
     */
    static final int MAX_TOKENS = 10_000;

    private static final ObjectMapper MAPPER = JsonMapper.builder(
        JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxTokenCount(MAX_TOKENS).build())
            .build()
    )
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private static final Map<ModelType, List<String>> TYPE_FIELDS = Map.of(
        ModelType.DOT, List.of("global_bias", "user_bias", "item_bias"),
        ModelType.COSINE, List.of("global_bias", "user_bias", "item_bias"),
        ModelType.MLP, List.of("input", "layers", "output_activation"),
        ModelType.NEUMF, List.of("gmf_dims", "layers", "output_activation"),
        ModelType.SASREC, List.of("max_length", "heads", "num_blocks", "ffn_dims", "input_scale", "layer_norm_epsilon"),
        ModelType.GRU4REC, List.of("max_length", "hidden_dims"),
        ModelType.MULTDAE, List.of("max_length")
    );
    private static final List<String> LAYER_FIELDS = List.of("inputs", "outputs", "activation");

    private HeaderJson() {}

    /**
     * Parses and validates a header.
     *
     * @throws InvalidModelException naming the offending field
     */
    static ModelHeader read(byte[] bytes, int offset, int length) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes, offset, length);
        } catch (StreamConstraintsException e) {
            throw new InvalidModelException(
                "header: more than " + MAX_DEPTH + " levels deep or " + MAX_TOKENS + " JSON tokens (metadata is for a few facts about the model): "
                    + firstLine(e.getOriginalMessage()),
                e
            );
        } catch (JsonProcessingException e) {
            throw new InvalidModelException("header: not valid JSON: " + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new InvalidModelException("header: not valid UTF-8 JSON: " + firstLine(e.getMessage()), e);
        }
        if (root == null || root.isObject() == false) {
            throw new InvalidModelException("header: must be a JSON object");
        }
        JsonNode typeNode = root.get("type");
        if (typeNode == null) {
            throw new InvalidModelException("type: required; one of " + ModelHeader.TYPE_NAMES);
        }
        ModelType type = ModelType.fromName(text(typeNode, "type"));
        checkFields(root, "header", type.externalName() + " model", allowed(type));

        return new ModelHeader(
            type,
            integer(root, "user_dims", null),
            integer(root, "item_dims", null),
            number(root, "global_bias", 0),
            BiasSource.fromName("user_bias", optionalText(root, "user_bias", "none")),
            BiasSource.fromName("item_bias", optionalText(root, "item_bias", "none")),
            type == ModelType.MLP ? inputParts(root.get("input")) : List.of(),
            type == ModelType.NEUMF ? integer(root, "gmf_dims", null) : 0,
            type.isNeural() ? layers(root.get("layers")) : List.of(),
            type.isNeural() ? activation(root.get("output_activation"), "output_activation", Activation.IDENTITY) : null,
            type.isEncoder() ? encoder(root, type) : null,
            metadata(root.get("metadata"))
        );
    }

    private static EncoderSpec encoder(JsonNode root, ModelType type) {
        boolean sasrec = type == ModelType.SASREC;
        return new EncoderSpec(
            integer(root, "max_length", null),
            sasrec ? integer(root, "heads", null) : 0,
            sasrec ? integer(root, "num_blocks", null) : 0,
            sasrec ? integer(root, "ffn_dims", null) : 0,
            sasrec ? number(root, "input_scale", 1) : 0,
            sasrec ? number(root, "layer_norm_epsilon", EncoderSpec.DEFAULT_LAYER_NORM_EPSILON) : 0,
            type == ModelType.GRU4REC ? integer(root, "hidden_dims", null) : 0
        );
    }

    /**
     * @return the canonical UTF-8 JSON of {@code header}
     * @throws InvalidModelException when the metadata holds values JSON cannot represent
     */
    static byte[] write(ModelHeader header) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", header.type().externalName());
        root.put("user_dims", header.userDims());
        root.put("item_dims", header.itemDims());
        switch (header.type()) {
            case DOT, COSINE -> {
                root.put("global_bias", header.globalBias());
                root.put("user_bias", header.userBias().externalName());
                root.put("item_bias", header.itemBias().externalName());
            }
            case MLP -> {
                ArrayNode input = root.putArray("input");
                header.input().forEach(p -> input.add(p.externalName()));
                writeLayers(root, header);
            }
            case NEUMF -> {
                root.put("gmf_dims", header.gmfDims());
                writeLayers(root, header);
            }
            case SASREC -> {
                EncoderSpec e = header.encoder();
                root.put("max_length", e.maxLength());
                root.put("heads", e.heads());
                root.put("num_blocks", e.numBlocks());
                root.put("ffn_dims", e.ffnDims());
                root.put("input_scale", e.inputScale());
                root.put("layer_norm_epsilon", e.layerNormEpsilon());
            }
            case GRU4REC -> {
                root.put("max_length", header.encoder().maxLength());
                root.put("hidden_dims", header.encoder().hiddenDims());
            }
            case MULTDAE -> root.put("max_length", header.encoder().maxLength());
        }
        if (header.metadata().isEmpty() == false) {
            try {
                root.set("metadata", MAPPER.valueToTree(header.metadata()));
            } catch (IllegalArgumentException e) {
                throw new InvalidModelException("metadata: cannot be written as JSON: " + e.getMessage(), e);
            }
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new InvalidModelException("header: cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void writeLayers(ObjectNode root, ModelHeader header) {
        ArrayNode layers = root.putArray("layers");
        for (LayerSpec layer : header.layers()) {
            layers.addObject()
                .put("inputs", layer.inputs())
                .put("outputs", layer.outputs())
                .put("activation", layer.activation().externalName());
        }
        root.put("output_activation", header.outputActivation().externalName());
    }

    private static List<String> allowed(ModelType type) {
        List<String> fields = new ArrayList<>(List.of("type", "user_dims", "item_dims"));
        fields.addAll(TYPE_FIELDS.get(type));
        fields.add("metadata");
        return fields;
    }

    private static void checkFields(JsonNode object, String path, String what, List<String> allowed) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (allowed.contains(name) == false) {
                throw new InvalidModelException(path + ": unknown field [" + name + "]; the fields of a " + what + " are " + allowed);
            }
        }
    }

    private static List<InputPart> inputParts(JsonNode node) {
        if (node == null) {
            throw new InvalidModelException("input: required; a non-empty list of [user, item, product]");
        }
        if (node.isArray() == false) {
            throw new InvalidModelException("input: must be a list of [user, item, product] but was " + abbreviate(node));
        }
        List<InputPart> parts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "input[" + i + "]";
            try {
                parts.add(InputPart.fromName(text(node.get(i), path)));
            } catch (InvalidModelException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidModelException(path + ": " + e.getMessage());
            }
        }
        return parts;
    }

    private static List<LayerSpec> layers(JsonNode node) {
        if (node == null) {
            throw new InvalidModelException("layers: required; a list of {\"inputs\", \"outputs\", \"activation\"} objects (may be empty for mlp)");
        }
        if (node.isArray() == false) {
            throw new InvalidModelException("layers: must be a list of layer objects but was " + abbreviate(node));
        }
        if (node.size() > ModelHeader.MAX_LAYERS) {
            throw new InvalidModelException("layers: " + node.size() + " layers exceed the limit of " + ModelHeader.MAX_LAYERS);
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "layers[" + i + "]";
            JsonNode layer = node.get(i);
            if (layer.isObject() == false) {
                throw new InvalidModelException(path + ": must be an object like {\"inputs\": 128, \"outputs\": 64, \"activation\": \"relu\"}");
            }
            checkFields(layer, path, "layer", LAYER_FIELDS);
            layers.add(
                new LayerSpec(
                    integer(layer, "inputs", path),
                    integer(layer, "outputs", path),
                    activation(layer.get("activation"), path + ".activation", null)
                )
            );
        }
        return layers;
    }

    private static Activation activation(JsonNode node, String path, Activation defaultValue) {
        if (node == null) {
            if (defaultValue == null) {
                throw new InvalidModelException(path + ": required; one of " + Activation.names());
            }
            return defaultValue;
        }
        try {
            return Activation.fromName(text(node, path));
        } catch (InvalidModelException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(path + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> metadata(JsonNode node) {
        if (node == null) {
            return Map.of();
        }
        if (node.isObject() == false) {
            throw new InvalidModelException("metadata: must be a JSON object but was " + abbreviate(node));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) readOnly(MAPPER.convertValue(node, Map.class));
        return map;
    }

    /** Deep read-only copy, so that the metadata of an immutable bundle cannot be changed through nested values. */
    private static Object readOnly(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), readOnly(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(readOnly(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    private static int integer(JsonNode object, String field, String parent) {
        String path = parent == null ? field : parent + "." + field;
        JsonNode node = object.get(field);
        if (node == null) {
            throw new InvalidModelException(path + ": required");
        }
        if (node.isIntegralNumber() == false || node.canConvertToInt() == false) {
            throw new InvalidModelException(path + ": must be an integer but was " + abbreviate(node));
        }
        return node.intValue();
    }

    private static double number(JsonNode object, String field, double defaultValue) {
        JsonNode node = object.get(field);
        if (node == null) {
            return defaultValue;
        }
        if (node.isNumber() == false) {
            throw new InvalidModelException(field + ": must be a number but was " + abbreviate(node));
        }
        return node.doubleValue();
    }

    private static String optionalText(JsonNode object, String field, String defaultValue) {
        JsonNode node = object.get(field);
        return node == null ? defaultValue : text(node, field);
    }

    private static String text(JsonNode node, String path) {
        if (node.isTextual() == false) {
            throw new InvalidModelException(path + ": must be a string but was " + abbreviate(node));
        }
        return node.textValue();
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.lines().findFirst().orElse("");
        return m.length() > 200 ? m.substring(0, 197) + "..." : m;
    }
}
