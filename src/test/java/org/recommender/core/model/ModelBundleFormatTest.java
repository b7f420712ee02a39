package org.recommender.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.recommender.core.scoring.Activation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The byte format of docs/model-format.md: round trips, and every validation rule with its message. */
class ModelBundleFormatTest {
    /** The example header of docs/model-format.md, verbatim. */
    static final String DOC_EXAMPLE_HEADER = """
        {
          "type": "mlp",
          "user_dims": 4,
          "item_dims": 4,
          "input": ["user", "item", "product"],
          "layers": [
            {"inputs": 12, "outputs": 3, "activation": "relu"},
            {"inputs": 3, "outputs": 2, "activation": "tanh"}
          ],
          "output_activation": "identity",
          "metadata": {"trained_by": "model-tools 0.1.0", "dataset": "ml-1m", "epochs": 20}
        }
        """;

    private static List<float[]> docExampleBlocks() {
        SplittableRandom r = new SplittableRandom(1);
        return List.of(
            ReferenceModel.random(r, 36, 1), ReferenceModel.random(r, 3, 1),
            ReferenceModel.random(r, 6, 1), ReferenceModel.random(r, 2, 1),
            ReferenceModel.random(r, 2, 1), ReferenceModel.random(r, 1, 1)
        );
    }

    private static byte[] docExample() {
        return RawBundle.encode(DOC_EXAMPLE_HEADER, docExampleBlocks());
    }

    @Test
    void aBundleWrittenFromTheSpecAloneParses() {
        byte[] bytes = docExample();
        ModelBundle bundle = ModelBundle.parse(bytes);
        assertEquals("mlp", bundle.type());
        assertEquals(4, bundle.userDims());
        assertEquals(4, bundle.itemDims());
        assertEquals(bytes.length, bundle.sizeInBytes());
        assertEquals(Map.of("trained_by", "model-tools 0.1.0", "dataset", "ml-1m", "epochs", 20), bundle.metadata());
        assertEquals(HexFormat.of().formatHex(RawBundle.sha256(bytes, bytes.length - 32)), bundle.checksum());
        assertArrayEquals(bytes, bundle.toBytes(), "toBytes gives back exactly the bytes parsed");
        assertThrows(UnsupportedOperationException.class, () -> bundle.metadata().put("x", 1));
    }

    @Test
    void theExamplesInTheSpecAreValid() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "model-format.md"));
        java.util.regex.Matcher json = java.util.regex.Pattern.compile("```json\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(doc);
        assertTrue(json.find(), "the spec has an example header");
        assertEquals(DOC_EXAMPLE_HEADER, json.group(1), "the first example in docs/model-format.md is the one this test uses");
        assertTrue(json.find(), "the spec has a NeuMF example");
        SplittableRandom r = new SplittableRandom(2);
        List<float[]> neumfBlocks = List.of(
            ReferenceModel.random(r, 32 * 64, 1), ReferenceModel.random(r, 32, 1),
            ReferenceModel.random(r, 16 * 32, 1), ReferenceModel.random(r, 16, 1),
            ReferenceModel.random(r, 48, 1), ReferenceModel.random(r, 1, 1)
        );
        ModelBundle neumf = ModelBundle.parse(RawBundle.encode(json.group(1), neumfBlocks));
        assertEquals("neumf", neumf.type());
        assertEquals(64, neumf.compile().userDims());
    }

    @Test
    void builtBundlesRoundTripAndAreCanonical() {
        for (ModelBundle bundle : List.of(
            ModelBundle.dot(32),
            ModelBundle.cosine(8),
            ModelBundle.builder("dot").userDims(9).itemDims(9).userBias(BiasSource.LAST_DIMENSION)
                .itemBias(BiasSource.LAST_DIMENSION).globalBias(3.25).metadata("dataset", "ml-100k").build(),
            RandomModels.mlp(16, new int[] { 8, 4 }, 7),
            RandomModels.mlp(16, new int[0], 7),
            RandomModels.neumf(16, 8, new int[] { 8 }, 7, Activation.SIGMOID),
            RandomModels.neumf(64, new int[] { 32, 16 }, 3)
        )) {
            byte[] bytes = bundle.toBytes();
            ModelBundle again = ModelBundle.parse(bytes);
            assertArrayEquals(bytes, again.toBytes(), bundle.toString());
            assertEquals(bundle.checksum(), again.checksum());
            assertEquals(bundle.metadata(), again.metadata());
            assertEquals(bundle.type(), again.type());
            assertEquals(0, (ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(12) + 24) % 8, "weights are 8-byte aligned");
        }
        assertArrayEquals(RandomModels.mlp(16, new int[] { 8 }, 7).toBytes(), RandomModels.mlp(16, new int[] { 8 }, 7).toBytes(), "deterministic");
        assertNotEquals(RandomModels.mlp(16, new int[] { 8 }, 7).checksum(), RandomModels.mlp(16, new int[] { 8 }, 8).checksum());
    }

    @Test
    void theCanonicalHeaderIsTheDocumentedJson() {
        ModelBundle bundle = ModelBundle.builder("dot").dims(3).build();
        byte[] bytes = bundle.toBytes();
        int headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        assertEquals(
            "{\"type\":\"dot\",\"user_dims\":3,\"item_dims\":3,\"global_bias\":0.0,\"user_bias\":\"none\",\"item_bias\":\"none\"}",
            new String(bytes, 24, headerLength, java.nio.charset.StandardCharsets.UTF_8).strip()
        );
        assertEquals(24 + headerLength + 32, bytes.length, "a dot model has no weight blocks");
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] bytes = docExample();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, length);
            String message = invalid(() -> ModelBundle.parse(cut));
            String expected = length == 0 ? "magic: not a model bundle" : length < 58 ? "bundle: truncated" : "total_length: the bundle declares";
            assertTrue(message.startsWith(expected), length + ": " + message);
        }
        assertTrue(invalid(() -> ModelBundle.parse(java.util.Arrays.copyOf(bytes, 100))).endsWith("but has only 100; it was truncated"));
    }

    @Test
    void everyBitFlipIsRefused() {
        byte[] bytes = docExample();
        for (int i = 0; i < bytes.length; i++) {
            for (int bit = 0; bit < 8; bit += 3) {
                byte[] flipped = bytes.clone();
                flipped[i] ^= (byte) (1 << bit);
                String message = invalid(() -> ModelBundle.parse(flipped));
                if (i >= 24) {
                    assertTrue(message.startsWith("checksum: the bundle stores SHA-256 "), i + ": " + message);
                    assertTrue(message.endsWith("; the bundle is corrupt"), message);
                } else if (i < 8) {
                    assertTrue(message.startsWith("magic: "), i + ": " + message);
                }
            }
        }
    }

    @Test
    void randomBytesOnlyEverGiveInvalidModelException() {
        SplittableRandom r = new SplittableRandom(77);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bytes = new byte[r.nextInt(0, 300)];
            r.nextBytes(bytes);
            if (trial % 2 == 0 && bytes.length >= 24) {
                // get past the magic, version and length checks so the later stages see garbage too
                System.arraycopy(RawBundle.MAGIC, 0, bytes, 0, 8);
                ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(8, 1).putInt(12, r.nextInt(0, Math.max(1, bytes.length - 40))).putLong(16, bytes.length);
                if (bytes.length >= 58 && trial % 4 == 0) {
                    bytes = RawBundle.reseal(bytes);
                }
            }
            byte[] input = bytes;
            invalid(() -> ModelBundle.parse(input));
        }
        // a valid header followed by random weights of random lengths
        for (int trial = 0; trial < 500; trial++) {
            byte[] weights = new byte[r.nextInt(0, 400)];
            r.nextBytes(weights);
            byte[] bundle = RawBundle.assemble(1, DOC_EXAMPLE_HEADER.getBytes(java.nio.charset.StandardCharsets.UTF_8), weights);
            invalid(() -> ModelBundle.parse(bundle));
        }
        assertEquals("bundle: no bytes", invalid(() -> ModelBundle.parse(null)));
    }

    @Test
    void framingErrorsNameTheField() {
        byte[] good = docExample();
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertEquals(
            "magic: not a model bundle; it must start with the bytes 89 52 45 43 4D 4F 44 0A but starts with 89 58 45 43 4D 4F 44 0A",
            invalid(() -> ModelBundle.parse(magic))
        );
        assertEquals(
            "format_version: 2 is not supported; this version reads format 1",
            invalid(() -> ModelBundle.parse(RawBundle.encode(2, DOC_EXAMPLE_HEADER, docExampleBlocks())))
        );
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 5);
        assertEquals(
            "total_length: the bundle declares " + good.length + " bytes but has " + (good.length + 5) + ": 5 trailing bytes after the checksum",
            invalid(() -> ModelBundle.parse(trailing))
        );
        byte[] hugeTotal = good.clone();
        ByteBuffer.wrap(hugeTotal).order(ByteOrder.LITTLE_ENDIAN).putLong(16, -1L);
        assertEquals(
            "total_length: the bundle declares 18446744073709551615 bytes but has only " + good.length + "; it was truncated",
            invalid(() -> ModelBundle.parse(hugeTotal))
        );
        byte[] hugeHeader = good.clone();
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(12, -1);
        assertTrue(invalid(() -> ModelBundle.parse(hugeHeader)).startsWith("header_length: 4294967295 is not between 2 and "));
        byte[] corrupt = good.clone();
        corrupt[good.length - 1] ^= 1;
        assertTrue(invalid(() -> ModelBundle.parse(corrupt)).startsWith("checksum: "));
    }

    @Test
    void headerErrorsNameTheField() {
        assertHeader("header: not valid JSON: ", "{\"type\": \"mlp\",");
        assertHeader("header: must be a JSON object", "[1, 2]");
        assertHeader("type: required; one of [dot, cosine, mlp, neumf, sasrec, gru4rec, multdae]", "{\"user_dims\": 4}");
        assertHeader("type: unknown model type [xgboost]; expected one of [dot, cosine, mlp, neumf, sasrec, gru4rec, multdae]", "{\"type\": \"xgboost\"}");
        assertHeader("type: must be a string but was 3", "{\"type\": 3}");
        assertHeader("user_dims: required", "{\"type\": \"dot\", \"item_dims\": 4}");
        assertHeader("user_dims: must be an integer but was \"4\"", "{\"type\": \"dot\", \"user_dims\": \"4\", \"item_dims\": 4}");
        assertHeader("user_dims: must be an integer but was 4.5", "{\"type\": \"dot\", \"user_dims\": 4.5, \"item_dims\": 4}");
        assertHeader("item_dims: must be between 1 and 4096 but was 5000", "{\"type\": \"dot\", \"user_dims\": 4, \"item_dims\": 5000}");
        assertHeader("user_dims: must be between 1 and 4096 but was 0", "{\"type\": \"dot\", \"user_dims\": 0, \"item_dims\": 4}");
        assertHeader(
            "header: unknown field [layers]; the fields of a dot model are [type, user_dims, item_dims, global_bias, user_bias, item_bias, metadata]",
            "{\"type\": \"dot\", \"user_dims\": 4, \"item_dims\": 4, \"layers\": []}"
        );
        assertHeader("header: not valid JSON: Duplicate field 'user_dims'", "{\"type\": \"dot\", \"user_dims\": 4, \"user_dims\": 4, \"item_dims\": 4}");
        assertHeader(
            "item_bias: unknown bias source [first_dimension]; expected one of [none, last_dimension]",
            "{\"type\": \"dot\", \"user_dims\": 4, \"item_dims\": 4, \"item_bias\": \"first_dimension\"}"
        );
        assertHeader(
            "item_dims: the similarity needs equal user and item dimensions (bias dimensions excluded) but they are 4 (user_dims 4, user_bias none) and 3 (item_dims 4, item_bias last_dimension)",
            "{\"type\": \"dot\", \"user_dims\": 4, \"item_dims\": 4, \"item_bias\": \"last_dimension\"}"
        );
        assertHeader("global_bias: must be a finite number of magnitude at most 1.0E30, so that scores stay finite, but was 1.0E39", "{\"type\": \"cosine\", \"user_dims\": 4, \"item_dims\": 4, \"global_bias\": 1e39}");
        // below float's largest value, and still refused: with a dot product of bounded embeddings it left float's range
        assertHeader("global_bias: must be a finite number of magnitude at most 1.0E30, so that scores stay finite, but was 3.4028234663852886E38",
            "{\"type\": \"dot\", \"user_dims\": 2, \"item_dims\": 2, \"global_bias\": 3.4028234663852886E38}");
        assertHeader("metadata: must be a JSON object but was [1]", "{\"type\": \"dot\", \"user_dims\": 4, \"item_dims\": 4, \"metadata\": [1]}");
        // metadata nested past OpenSearch's own JSON depth was stored, then failed the upload's response (500); a
        // 1 MiB header of empty objects took ~80 MB of heap to read, against 3 MiB reserved
        String deep = "{\"a\":".repeat(32) + "1" + "}".repeat(32); // the metadata object and 31 inside it: 33 with the header
        assertHeader("header: more than 32 levels deep or 10000 JSON tokens", "{\"type\": \"dot\", \"user_dims\": 4, \"item_dims\": 4, \"metadata\": " + deep + "}");
        String wide = "{\"m\": [" + "{},".repeat(12_000) + "{}]}";
        assertHeader("header: more than 32 levels deep or 10000 JSON tokens", "{\"type\": \"dot\", \"user_dims\": 4, \"item_dims\": 4, \"metadata\": " + wide + "}");
        String nested = "{\"a\":".repeat(31) + "1" + "}".repeat(31);
        assertEquals(1, ModelBundle.parse(RawBundle.encode("{\"type\": \"dot\", \"user_dims\": 4, \"item_dims\": 4, \"metadata\": " + nested + "}", List.of()))
            .metadata().size(), "32 levels in all, the limit, still read");
        assertHeader("input: required; a non-empty list of [user, item, product]", "{\"type\": \"mlp\", \"user_dims\": 4, \"item_dims\": 4, \"layers\": []}");
        assertHeader(
            "input[1]: unknown input [items]; expected one of [user, item, product]",
            "{\"type\": \"mlp\", \"user_dims\": 4, \"item_dims\": 4, \"input\": [\"user\", \"items\"], \"layers\": []}"
        );
        assertHeader(
            "input: [product] needs equal user_dims and item_dims but they are 4 and 6",
            "{\"type\": \"mlp\", \"user_dims\": 4, \"item_dims\": 6, \"input\": [\"product\"], \"layers\": []}"
        );
        assertHeader("input: [user, user] names a part twice", "{\"type\": \"mlp\", \"user_dims\": 4, \"item_dims\": 4, \"input\": [\"user\", \"user\"], \"layers\": []}");
        assertHeader(
            "layers[1].activation: unknown activation [gelu]; expected one of [relu, tanh, sigmoid, identity]",
            DOC_EXAMPLE_HEADER.replace("\"tanh\"", "\"gelu\"")
        );
        assertHeader("layers[0].activation: required; one of [relu, tanh, sigmoid, identity]", DOC_EXAMPLE_HEADER.replace(", \"activation\": \"relu\"", ""));
        assertHeader(
            "output_activation: unknown activation [softmax]; expected one of [relu, tanh, sigmoid, identity]",
            DOC_EXAMPLE_HEADER.replace("\"output_activation\": \"identity\"", "\"output_activation\": \"softmax\"")
        );
        assertHeader(
            "layers[1]: unknown field [activaton]; the fields of a layer are [inputs, outputs, activation]",
            DOC_EXAMPLE_HEADER.replace("\"activation\": \"tanh\"", "\"activaton\": \"tanh\"")
        );
        assertHeader(
            "layers[0].inputs: expected 12 (input [user, item, product] = 4 + 4 + 4) but was 8",
            DOC_EXAMPLE_HEADER.replace("\"inputs\": 12", "\"inputs\": 8")
        );
        assertHeader(
            "layers[1].inputs: expected 3 (the outputs of layers[0]) but was 4",
            DOC_EXAMPLE_HEADER.replace("\"inputs\": 3", "\"inputs\": 4")
        );
        assertHeader("layers[0].outputs: must be between 1 and 16384 but was 0", DOC_EXAMPLE_HEADER.replace("\"outputs\": 3", "\"outputs\": 0"));
        String neumf = "{\"type\": \"neumf\", \"user_dims\": 8, \"item_dims\": 8, \"gmf_dims\": %s, \"layers\": %s}"; // %s: %d would write the locale's digits
        assertHeader(
            "gmf_dims: must be between 1 and 7 (both vectors need at least one dimension left for the MLP slice) but was 8",
            neumf.formatted(8, "[{\"inputs\": 0, \"outputs\": 1, \"activation\": \"relu\"}]")
        );
        assertHeader("layers: a neumf model needs at least one MLP tower layer", neumf.formatted(4, "[]"));
        assertHeader(
            "layers[0].inputs: expected 8 (the MLP slices of the user and item vectors: 4 + 4) but was 16",
            neumf.formatted(4, "[{\"inputs\": 16, \"outputs\": 4, \"activation\": \"relu\"}]")
        );
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 33; i++) {
            many.append(i == 0 ? "" : ",").append("{\"inputs\": 8, \"outputs\": 8, \"activation\": \"relu\"}");
        }
        assertHeader("layers: 33 layers exceed the limit of 32", neumf.formatted(4, many + "]"));
        byte[] latin1 = "{\"type\": \"dot\", \"user_dims\": 4, \"item_dims\": 4, \"metadata\": {\"by\": \"\u00e9\"}}"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(invalid(() -> ModelBundle.parse(RawBundle.assemble(1, latin1, new byte[0]))).startsWith("header: not valid"));
    }

    @Test
    void weightErrorsNameTheBlock() {
        List<float[]> blocks = new ArrayList<>(docExampleBlocks());
        blocks.set(2, new float[5]);
        assertEquals("layers[1].weights: expected 2x3 floats but the bundle has 5", invalid(() -> ModelBundle.parse(RawBundle.encode(DOC_EXAMPLE_HEADER, blocks))));

        List<float[]> nan = new ArrayList<>(docExampleBlocks());
        nan.get(2)[4] = Float.NaN;
        assertEquals(
            "layers[1].weights: element [row 1, column 1] is NaN; weights must be finite",
            invalid(() -> ModelBundle.parse(RawBundle.encode(DOC_EXAMPLE_HEADER, nan)))
        );
        List<float[]> inf = new ArrayList<>(docExampleBlocks());
        inf.get(4)[1] = Float.NEGATIVE_INFINITY;
        assertEquals(
            "output.weights: element [1] is -Infinity; weights must be finite",
            invalid(() -> ModelBundle.parse(RawBundle.encode(DOC_EXAMPLE_HEADER, inf)))
        );

        List<float[]> missing = new ArrayList<>(docExampleBlocks());
        missing.remove(5);
        assertEquals(
            "output.bias: missing; the weights end after output.weights",
            invalid(() -> ModelBundle.parse(RawBundle.encode(DOC_EXAMPLE_HEADER, missing)))
        );
        List<float[]> extra = new ArrayList<>(docExampleBlocks());
        extra.add(new float[1]);
        assertEquals(
            "weights: 8 trailing bytes after the last block (output.bias) and before the checksum",
            invalid(() -> ModelBundle.parse(RawBundle.encode(DOC_EXAMPLE_HEADER, extra)))
        );

        // A huge declared block is refused before anything is allocated for it.
        byte[] header = DOC_EXAMPLE_HEADER.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] weights = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-16).putFloat(1f).array();
        assertEquals(
            "layers[0].weights: expected 3x12 floats but the bundle has 4294967280",
            invalid(() -> ModelBundle.parse(RawBundle.assemble(1, header, weights)))
        );
        // A huge declared shape (2^28 floats) with a matching count, but without the bytes behind it.
        String wide = DOC_EXAMPLE_HEADER.replace("\"outputs\": 3", "\"outputs\": 16384").replace("\"inputs\": 12", "\"inputs\": 12")
            .replace("\"inputs\": 3", "\"inputs\": 16384");
        byte[] claim = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(16384 * 12).putLong(0).array();
        assertEquals(
            "layers[0].weights: holds 196608 floats but only 8 bytes are left before the checksum",
            invalid(() -> ModelBundle.parse(RawBundle.assemble(1, wide.getBytes(java.nio.charset.StandardCharsets.UTF_8), claim)))
        );
    }

    @Test
    void theBuilderReportsMistakesLikeTheParser() {
        SplittableRandom r = new SplittableRandom(3);
        assertEquals(
            "layers[0].weights: expected 4x24 floats but the bundle has 95",
            invalid(() -> ModelBundle.builder("mlp").dims(8).layer(24, 4, Activation.RELU, new float[95], new float[4]).output(new float[4], 0).build())
        );
        assertEquals(
            "output.weights: missing; a mlp model needs an output layer",
            invalid(() -> ModelBundle.builder("mlp").dims(8).layer(24, 4, Activation.RELU, new float[96], new float[4]).build())
        );
        assertEquals(
            "layers[0].weights: element [row 0, column 2] is NaN; weights must be finite",
            invalid(() -> ModelBundle.builder("neumf").dims(8).gmfDims(4).layer(8, 2, Activation.RELU, new float[] { 0, 0, Float.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, new float[2]).output(ReferenceModel.random(r, 6, 1), 0).build())
        );
        assertEquals("type: unknown model type [svd]; expected one of [dot, cosine, mlp, neumf, sasrec, gru4rec, multdae]", invalid(() -> ModelBundle.builder("svd")));
        assertEquals("user_dims: must be between 1 and 4096 but was 0", invalid(() -> ModelBundle.builder("cosine").build()));
    }

    private static void assertHeader(String expectedPrefix, String header) {
        String message = invalid(() -> ModelBundle.parse(RawBundle.encode(header, List.of())));
        assertTrue(message.startsWith(expectedPrefix), "expected [" + expectedPrefix + "] but got [" + message + "]");
    }

    /** Runs {@code parse}, which must throw exactly InvalidModelException, and returns its message. */
    static String invalid(Executable parse) {
        try {
            parse.execute();
        } catch (Throwable t) {
            if (t.getClass() != InvalidModelException.class) {
                throw new AssertionError("expected InvalidModelException but got " + t, t);
            }
            return t.getMessage();
        }
        fail("expected InvalidModelException but nothing was thrown");
        return null;
    }
}
