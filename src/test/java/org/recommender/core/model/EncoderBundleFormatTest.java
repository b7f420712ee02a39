package org.recommender.core.model;

import org.junit.jupiter.api.Test;
import org.recommender.core.encoder.UserEncoder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoder types of {@code docs/model-format.md}: headers, blocks, round trips and the refusals, by message. */
class EncoderBundleFormatTest {
    @Test
    void encodersRoundTripAndReportTheirShapes() {
        for (ModelBundle bundle : List.of(RandomModels.sasrec(8, 6, 2, 2, 12, 1), RandomModels.gru4rec(8, 5, 4, 9, 1), RandomModels.multdae(8, 300, 1))) {
            assertTrue(bundle.isEncoder(), bundle.type());
            ModelBundle again = ModelBundle.parse(bundle.toBytes());
            assertArrayEquals(bundle.toBytes(), again.toBytes());
            UserEncoder encoder = again.compileEncoder();
            assertEquals(bundle.type(), encoder.type());
            assertEquals(bundle.userDims(), encoder.userDims());
            assertEquals(bundle.itemDims(), encoder.itemDims());
            assertTrue(bundle.compileBytesBound() >= encoder.memoryBytes(), bundle.type() + ": bound below what the encoder holds");
        }
        assertEquals(9, RandomModels.gru4rec(8, 5, 4, 9, 1).compileEncoder().maxLength());
        assertFalse(ModelBundle.dot(4).isEncoder());
    }

    @Test
    void theCanonicalHeaderListsTheEncoderFieldsInOrder() {
        String header = headerOf(RandomModels.sasrec(8, 6, 2, 1, 12, 1));
        assertTrue(
            header.startsWith("{\"type\":\"sasrec\",\"user_dims\":8,\"item_dims\":8,\"max_length\":6,\"heads\":2,\"num_blocks\":1,\"ffn_dims\":12,\"input_scale\":1.0,\"layer_norm_epsilon\":1.0E-8"),
            header
        );
        assertTrue(headerOf(RandomModels.gru4rec(8, 5, 4, 9, 1)).startsWith("{\"type\":\"gru4rec\",\"user_dims\":4,\"item_dims\":8,\"max_length\":9,\"hidden_dims\":5"));
    }

    @Test
    void aHandWrittenGruBundleParses() {
        float[] one = { 0.5f };
        byte[] bytes = RawBundle.encode(
            "{\"type\":\"gru4rec\",\"user_dims\":1,\"item_dims\":1,\"max_length\":3,\"hidden_dims\":1}",
            List.of(new float[] { 1, 1, 1 }, new float[] { 1, 1, 1 }, new float[3], new float[3], one, new float[1])
        );
        UserEncoder gru = ModelBundle.parse(bytes).compileEncoder();
        // one step from h = 0 with e = 1: r = z = σ(1), n = tanh(1 + r·0), h = (1 − z)·n, u = 0.5·h
        double z = 1 / (1 + Math.exp(-1));
        assertEquals(0.5 * (1 - z) * Math.tanh(1), gru.encode(new float[][] { { 1 } }, 1)[0], 1e-7);
    }

    @Test
    void scoringModelsAndEncodersRefuseTheOtherCompile() {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> RandomModels.multdae(4, 10, 1).compile());
        assertTrue(e.getMessage().startsWith("type: [multdae] is a user encoder, not a scoring model"), e.getMessage());
        e = assertThrows(InvalidModelException.class, () -> ModelBundle.dot(4).compileEncoder());
        assertTrue(e.getMessage().startsWith("type: [dot] is a scoring model, not a user encoder"), e.getMessage());
    }

    @Test
    void badEncoderHeadersAreRefusedNamingTheField() {
        Map<String, String> cases = Map.of(
            "{\"type\":\"sasrec\",\"user_dims\":8,\"item_dims\":8,\"max_length\":4,\"heads\":3,\"num_blocks\":1,\"ffn_dims\":8}",
            "heads: 3 heads do not divide item_dims 8",
            "{\"type\":\"sasrec\",\"user_dims\":8,\"item_dims\":8,\"max_length\":2000,\"heads\":2,\"num_blocks\":1,\"ffn_dims\":8}",
            "max_length: must be between 1 and 1024 but was 2000",
            "{\"type\":\"sasrec\",\"user_dims\":4,\"item_dims\":8,\"max_length\":4,\"heads\":2,\"num_blocks\":1,\"ffn_dims\":8}",
            "user_dims: a sasrec encoder produces vectors of its item_dims 8 but user_dims is 4",
            "{\"type\":\"sasrec\",\"user_dims\":8,\"item_dims\":8,\"max_length\":4,\"heads\":2,\"num_blocks\":1}",
            "ffn_dims: required",
            "{\"type\":\"sasrec\",\"user_dims\":8,\"item_dims\":8,\"max_length\":4,\"heads\":2,\"num_blocks\":1,\"ffn_dims\":8,\"input_scale\":0}",
            "input_scale: must be a finite float32 number above 0 but was 0.0",
            "{\"type\":\"gru4rec\",\"user_dims\":8,\"item_dims\":8,\"max_length\":4,\"hidden_dims\":8,\"heads\":2}",
            "header: unknown field [heads]; the fields of a gru4rec model are [type, user_dims, item_dims, max_length, hidden_dims, metadata]",
            "{\"type\":\"multdae\",\"user_dims\":8,\"item_dims\":8}",
            "max_length: required",
            "{\"type\":\"multdae\",\"user_dims\":8,\"item_dims\":8,\"max_length\":200000}",
            "max_length: must be between 1 and 100000 but was 200000",
            // within the size limit, 16.7 billion multiply-adds per user encoded (minutes for a request of 100 users)
            "{\"type\":\"gru4rec\",\"user_dims\":64,\"item_dims\":64,\"max_length\":1024,\"hidden_dims\":2300}",
            "max_length: encoding a history of 1024 items takes 16703225600 multiply-adds, more than the 1073741824 one encoding may take;"
                + " lower max_length or the encoder's widths (hidden_dims)",
            "{\"type\":\"sasrec\",\"user_dims\":512,\"item_dims\":512,\"max_length\":1024,\"heads\":8,\"num_blocks\":16,\"ffn_dims\":2048}",
            "max_length: encoding a history of 1024 items takes 68719476736 multiply-adds, more than the 1073741824 one encoding may take;"
                + " lower max_length or the encoder's widths (ffn_dims, num_blocks)"
        );
        cases.forEach((header, message) -> {
            InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelBundle.parse(RawBundle.encode(header, List.of())));
            assertEquals(message, e.getMessage(), header);
        });
    }

    @Test
    void blocksAreCheckedByName() {
        byte[] shortBias = RawBundle.encode("{\"type\":\"multdae\",\"user_dims\":4,\"item_dims\":4,\"max_length\":10}", List.of(new float[3]));
        assertEquals("encoder.bias: expected 4 floats but the bundle has 3", assertThrows(InvalidModelException.class, () -> ModelBundle.parse(shortBias)).getMessage());
        InvalidModelException missing = assertThrows(
            InvalidModelException.class,
            () -> ModelBundle.builder("gru4rec").dims(4).hiddenDims(4).maxLength(5).weights("gru.input_weights", new float[48]).build()
        );
        assertEquals("gru.hidden_weights: missing; a gru4rec encoder needs 12x4 floats", missing.getMessage());
        var builder = ModelBundle.builder("multdae").dims(4).maxLength(5).weights("encoder.bias", new float[4]).weights("decoder.bias", new float[4]);
        assertTrue(assertThrows(InvalidModelException.class, builder::build).getMessage().startsWith("decoder.bias: not a block of this multdae encoder"));
        var nan = ModelBundle.builder("multdae").dims(2).maxLength(5).weights("encoder.bias", new float[] { 0, Float.NaN });
        assertEquals("encoder.bias: element [1] is NaN; weights must be finite", assertThrows(InvalidModelException.class, nan::build).getMessage());
    }

    private static String headerOf(ModelBundle bundle) {
        byte[] bytes = bundle.toBytes();
        int length = java.nio.ByteBuffer.wrap(bytes, 12, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        return new String(bytes, 24, length, StandardCharsets.UTF_8).strip();
    }
}
