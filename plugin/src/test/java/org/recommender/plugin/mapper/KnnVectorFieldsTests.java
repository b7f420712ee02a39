package org.recommender.plugin.mapper;

import org.opensearch.test.OpenSearchTestCase;
import org.recommender.core.vector.VectorSimilarity;

import java.util.Map;

/** A knn_vector mapping read as an embedding view: dimension, space and element type (BesideKnnIT reads the vectors). */
public class KnnVectorFieldsTests extends OpenSearchTestCase {
    public void testTheSpaceDecidesTheSimilarityWhereverItIsDeclared() {
        EmbeddingFieldType top = KnnVectorFields.view("kv", Map.of("dimension", 8, "space_type", "cosinesimil"), "[field]", true);
        assertEquals(8, top.dims());
        assertEquals(VectorSimilarity.COSINE, top.similarity());
        assertTrue(top.indexed());
        EmbeddingFieldType inMethod = KnnVectorFields.view("kv", Map.of("dimension", 4, "method", Map.of("engine", "lucene", "space_type", "innerproduct")), "[field]", true);
        assertEquals(VectorSimilarity.DOT_PRODUCT, inMethod.similarity());
        assertEquals("k-NN's default space", VectorSimilarity.L2, KnnVectorFields.view("kv", Map.of("dimension", 4), "[field]", true).similarity());
    }

    /**
     * Only the lucene engine in an {@code index.knn} index keeps a graph Lucene's search reads: the k-NN plugin's
     * default engine (faiss) and nmslib keep native graphs (Lucene's search there is a 500 from the k-NN plugin), and
     * without {@code index.knn} there is no graph (Lucene's search finds nothing) — those fields scan exactly.
     */
    public void testOnlyALuceneEngineGraphIsSearchedApproximately() {
        Map<String, Object> lucene = Map.of("dimension", 4, "method", Map.of("name", "hnsw", "engine", "lucene"));
        assertTrue(KnnVectorFields.view("kv", lucene, "[field]", true).approximate());
        assertFalse("no index.knn: no graph", KnnVectorFields.view("kv", lucene, "[field]", false).approximate());
        assertFalse("k-NN's default engine", KnnVectorFields.view("kv", Map.of("dimension", 4), "[field]", true).approximate());
        assertFalse(KnnVectorFields.view("kv", Map.of("dimension", 4, "method", Map.of("name", "hnsw", "engine", "faiss")), "[field]", true).approximate());
        assertFalse(KnnVectorFields.view("kv", Map.of("dimension", 4, "method", Map.of("name", "hnsw", "engine", "nmslib")), "[field]", true).approximate());
    }

    public void testWhatCannotBeReadIsRefusedNamingTheField() {
        assertEquals(
            "[field] field [kv] is a knn_vector of [byte] elements; only float vectors can be read",
            expectThrows(IllegalArgumentException.class, () -> KnnVectorFields.view("kv", Map.of("dimension", 4, "data_type", "byte"), "[field]", true)).getMessage()
        );
        assertEquals(
            "[params.field] field [kv] is a knn_vector in space [hamming]; readable spaces are [innerproduct, cosinesimil, l2]",
            expectThrows(IllegalArgumentException.class, () -> KnnVectorFields.view("kv", Map.of("dimension", 4, "space_type", "hamming"), "[params.field]", true))
                .getMessage()
        );
        assertTrue(
            expectThrows(IllegalArgumentException.class, () -> KnnVectorFields.view("kv", Map.of("model_id", "m"), "[field]", true)).getMessage()
                .contains("without a [dimension]")
        );
    }
}
