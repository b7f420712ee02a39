package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.recommender.core.io.EmbeddingEntry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON that the index and recommend commands send, and how bulk responses are read. */
class RequestBodiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bulkBodyIsOneActionAndOneDocumentLinePerEmbedding() {
        byte[] body = new BulkBody("item_id", "embedding").build(List.of(
            new EmbeddingEntry("i1", new float[] { 0.5f, -1f }),
            new EmbeddingEntry("say \"hi\"/ü", new float[] { 1e-8f, 3f })
        ));
        assertEquals(
            """
                {"index":{"_id":"i1"}}
                {"item_id":"i1","embedding":[0.5,-1.0]}
                {"index":{"_id":"say \\"hi\\"/ü"}}
                {"item_id":"say \\"hi\\"/ü","embedding":[1.0E-8,3.0]}
                """,
            new String(body, StandardCharsets.UTF_8)
        );
    }

    @Test
    void bulkFailuresAreReadPerItem() throws IOException {
        JsonNode ok = JSON.readTree("{\"took\":3,\"errors\":false,\"items\":[{\"index\":{\"_id\":\"a\",\"status\":201}}]}");
        assertTrue(BulkResponseParser.failures(ok).isEmpty());
        JsonNode mixed = JSON.readTree("""
            {"took":3,"errors":true,"items":[
              {"index":{"_id":"a","status":201}},
              {"index":{"_id":"b","status":400,"error":{"type":"mapper_parsing_exception","reason":"[embedding] has 3 dimensions but 4 were expected"}}},
              {"index":{"_id":"c","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}},
              {"index":{"_id":"d","status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [embedding]",
                 "caused_by":{"type":"invalid_embedding_exception","reason":"[embedding] has 2 dimensions but 32 were expected"}}}}]}
            """);
        assertEquals(List.of(
            new BulkItemFailure("b", 400, "mapper_parsing_exception: [embedding] has 3 dimensions but 4 were expected"),
            new BulkItemFailure("c", 429, "es_rejected_execution_exception: queue full"),
            new BulkItemFailure("d", 400, "invalid_embedding_exception: [embedding] has 2 dimensions but 32 were expected")
        ), BulkResponseParser.failures(mixed));
    }

    @Test
    void scriptScoreQueryMatchesThePluginsDsl() throws IOException {
        JsonNode body = new ScriptScoreQuery("embedding", new float[] { 0.25f, -1f }, "dot", 5).toJson();
        assertEquals(JSON.readTree("""
            {"query":{"script_score":{"query":{"match_all":{}},
              "script":{"lang":"recommender","source":"dot","params":{"field":"embedding","vector":[0.25,-1.0]}}}},
             "size":5,"_source":false}
            """), JSON.readTree(body.toString()));
        assertEquals("--source must be dot or cosine but was l2",
            assertThrows(IllegalArgumentException.class, () -> new ScriptScoreQuery("e", new float[1], "l2", 5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScriptScoreQuery("e", new float[1], "dot", 0));
        // a user spec instead of a vector, resolved by the plugin
        com.fasterxml.jackson.databind.node.ObjectNode user = JSON.createObjectNode().put("index", "items").put("encoder", "enc");
        user.putArray("history").add("i1").add("i2");
        assertEquals(JSON.readTree("""
            {"query":{"script_score":{"query":{"match_all":{}},
              "script":{"lang":"recommender","source":"model","params":{"field":"embedding","model":"m",
                "user":{"index":"items","encoder":"enc","history":["i1","i2"]}}}}},
             "size":3,"_source":false}
            """), JSON.readTree(ScriptScoreQuery.withModelUser("embedding", user, "m", 3).toJson().toString()));
        assertThrows(IllegalArgumentException.class, () -> new ScriptScoreQuery("e", new float[1], user, "model", 3, "m"));
    }

    @Test
    void errorSummaryPrefersTheRootCause() {
        ClusterResponse r = new ClusterResponse(400, """
            {"error":{"root_cause":[{"type":"mapper_parsing_exception","reason":"No handler for type [embedding] declared on field [embedding]"}],
             "type":"mapper_parsing_exception","reason":"Failed to parse mapping"},"status":400}
            """.getBytes(StandardCharsets.UTF_8));
        assertEquals("mapper_parsing_exception: No handler for type [embedding] declared on field [embedding]", r.errorSummary());
        assertEquals("<html>\n bad gateway", new String(new ClusterResponse(502, "<html>\n bad gateway".getBytes(StandardCharsets.UTF_8)).body(),
            StandardCharsets.UTF_8));
        assertEquals("<html> bad gateway", new ClusterResponse(502, "<html>\n bad gateway".getBytes(StandardCharsets.UTF_8)).errorSummary());
        assertEquals("HTTP 404", new ClusterResponse(404, new byte[0]).errorSummary());
    }
}
