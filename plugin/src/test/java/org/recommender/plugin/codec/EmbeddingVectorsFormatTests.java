package org.recommender.plugin.codec;

import org.opensearch.test.OpenSearchTestCase;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.HnswParameters;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.sameInstance;

/**
 * Each embedding field gets an HNSW format built with its own m and ef_construction, or the flat format when mapped
 * without a graph; other fields Lucene's default.
 */
public class EmbeddingVectorsFormatTests extends OpenSearchTestCase {
    private static EmbeddingFieldType field(String name, HnswParameters hnsw) {
        return new EmbeddingFieldType(name, 8, VectorSimilarity.DOT_PRODUCT, true, hnsw, Map.of());
    }

    public void testAFieldsFormatCarriesBothOfItsParameters() {
        Map<String, EmbeddingFieldType> fields = Map.of(
            "a", field("a", new HnswParameters(4, 40)),
            "b", field("b", new HnswParameters(4, 40)),
            "c", field("c", new HnswParameters(24, 200)),
            "flat", field("flat", null)
        );
        EmbeddingVectorsFormat format = new EmbeddingVectorsFormat(fields::get);
        String a = format.getKnnVectorsFormatForField("a").toString();
        assertThat(a, containsString("maxConn=4"));
        assertThat(a, containsString("beamWidth=40"));
        String c = format.getKnnVectorsFormatForField("c").toString();
        assertThat(c, containsString("maxConn=24"));
        assertThat(c, containsString("beamWidth=200"));
        assertThat("fields with the same parameters share one format", format.getKnnVectorsFormatForField("b"), sameInstance(format.getKnnVectorsFormatForField("a")));
        String other = format.getKnnVectorsFormatForField("not_an_embedding").toString();
        assertThat(other, containsString("maxConn=16"));
        assertThat(other, containsString("beamWidth=100"));
        assertThat(format.getKnnVectorsFormatForField("flat"), instanceOf(FlatEmbeddingVectorsFormat.class));
        assertEquals(FlatEmbeddingVectorsFormat.NAME, format.getKnnVectorsFormatForField("flat").getName());
    }
}
