package org.recommender.plugin.mapper;

import org.opensearch.test.OpenSearchTestCase;
import org.recommender.core.vector.VectorSimilarity;

import java.util.Map;

/** A knn_vector mapping read as an embedding view: dimension, space and element type (BesideKnnIT reads the vectors). */
public class KnnVectorFieldsTests extends OpenSearchTestCase {
    public void testTheSpaceDecidesTheSimilarityWhereverItIsDeclared() {
        EmbeddingFieldType top = KnnVectorFields.view("kv", Map.of("dimension", 8, "space_type", "cosinesimil"), "[field]");
        assertEquals(8, top.dims());
        assertEquals(VectorSimilarity.COSINE, top.similarity());
        assertTrue(top.indexed());
        EmbeddingFieldType inMethod = KnnVectorFields.view("kv", Map.of("dimension", 4, "method", Map.of("engine", "lucene", "space_type", "innerproduct")), "[field]");
        assertEquals(VectorSimilarity.DOT_PRODUCT, inMethod.similarity());
        assertEquals("k-NN's default space", VectorSimilarity.L2, KnnVectorFields.view("kv", Map.of("dimension", 4), "[field]").similarity());
    }

    public void testWhatCannotBeReadIsRefusedNamingTheField() {
        assertEquals(
            "[field] field [kv] is a knn_vector of [byte] elements; only float vectors can be read",
            expectThrows(IllegalArgumentException.class, () -> KnnVectorFields.view("kv", Map.of("dimension", 4, "data_type", "byte"), "[field]")).getMessage()
        );
        assertEquals(
            "[params.field] field [kv] is a knn_vector in space [hamming]; readable spaces are [innerproduct, cosinesimil, l2]",
            expectThrows(IllegalArgumentException.class, () -> KnnVectorFields.view("kv", Map.of("dimension", 4, "space_type", "hamming"), "[params.field]"))
                .getMessage()
        );
        assertTrue(
            expectThrows(IllegalArgumentException.class, () -> KnnVectorFields.view("kv", Map.of("model_id", "m"), "[field]")).getMessage()
                .contains("without a [dimension]")
        );
    }
}
