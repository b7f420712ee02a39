package org.recommender.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void bundledMappingsGetTheManifestDims() throws IOException {
        IndexMapping items = IndexMapping.bundled("items");
        ObjectNode body = items.withDims("embedding", 64);
        JsonNode field = body.path("mappings").path("properties").path("embedding");
        assertEquals("embedding", field.path("type").asText());
        assertEquals(64, field.path("dims").asInt());
        assertEquals("dot_product", field.path("similarity").asText());
        assertTrue(field.path("index").asBoolean());
        assertEquals("keyword", body.path("mappings").path("properties").path("item_id").path("type").asText());
        assertEquals(32, items.withDims("embedding", 32).path("mappings").path("properties").path("embedding").path("dims").asInt(),
            "the original is not modified by an earlier call");

        ObjectNode users = IndexMapping.bundled("users").withDims("embedding", 8);
        assertEquals(8, users.path("mappings").path("properties").path("embedding").path("dims").asInt());
        assertEquals("keyword", users.path("mappings").path("properties").path("user_id").path("type").asText());
    }

    @Test
    void fileMappingsKeepEverythingElseAndSupportKnnVector() throws IOException {
        Path file = Files.writeString(dir.resolve("m.json"), """
            {"settings":{"index":{"knn":true}},
             "mappings":{"properties":{"vec":{"type":"knn_vector","dimension":1,"method":{"name":"hnsw"}},"title":{"type":"text"}}}}
            """);
        ObjectNode body = IndexMapping.read(file).withDims("vec", 16);
        assertEquals(JSON.readTree("""
            {"settings":{"index":{"knn":true}},
             "mappings":{"properties":{"vec":{"type":"knn_vector","dimension":16,"method":{"name":"hnsw"}},"title":{"type":"text"}}}}
            """), body);
    }

    @Test
    void aFieldsMappingIsFoundInAGetMappingResponseAlsoInsideObjects() throws IOException {
        JsonNode response = new ObjectMapper().readTree("""
            {"old":{"mappings":{"properties":{"title":{"type":"text"}}}},
             "items":{"mappings":{"properties":{"emb":{"type":"embedding","dims":8,"similarity":"cosine"},
               "vectors":{"properties":{"mf":{"type":"embedding","dims":16}}}}}}}
            """);
        assertEquals("cosine", IndexMapping.fieldMapping(response, "emb").path("similarity").asText());
        assertEquals(OptionalInt.of(8), IndexMapping.declaredDims(response, "emb"));
        assertEquals(OptionalInt.of(16), IndexMapping.declaredDims(response, "vectors.mf"));
        assertTrue(IndexMapping.fieldMapping(response, "vectors.none").isMissingNode());
        assertEquals(OptionalInt.empty(), IndexMapping.declaredDims(response, "title"));
    }

    @Test
    void badMappingsAreRefusedNamingTheSource() throws IOException {
        IndexMapping m = IndexMapping.read(Files.writeString(dir.resolve("a.json"), "{\"mappings\":{\"properties\":{\"title\":{\"type\":\"text\"}}}}"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> m.withDims("embedding", 4));
        assertEquals(dir.resolve("a.json") + ": no field [embedding] under mappings.properties", missing.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> m.withDims("title", 4));
        assertTrue(type.getMessage().endsWith("field [title] has type [text], expected [embedding]"), type.getMessage());

        Path notJson = Files.writeString(dir.resolve("b.json"), "{mappings");
        assertTrue(assertThrows(IOException.class, () -> IndexMapping.read(notJson)).getMessage().startsWith(notJson + ": not valid JSON"));
        Path noMappings = Files.writeString(dir.resolve("c.json"), "{\"settings\":{}}");
        assertTrue(assertThrows(IOException.class, () -> IndexMapping.read(noMappings)).getMessage().contains("expected a create-index body"));
        assertThrows(NoSuchFileException.class, () -> IndexMapping.read(dir.resolve("none.json")));
    }

    @Test
    void declaredDimsAreReadFromAGetMappingResponse() throws IOException {
        JsonNode response = JSON.readTree("{\"items\":{\"mappings\":{\"properties\":{\"embedding\":{\"type\":\"embedding\",\"dims\":48}}}}}");
        assertEquals(OptionalInt.of(48), IndexMapping.declaredDims(response, "embedding"));
        assertEquals(OptionalInt.empty(), IndexMapping.declaredDims(response, "other"));
    }
}
