package org.recommender.plugin.codec;

import org.opensearch.test.OpenSearchTestCase;
import org.recommender.plugin.mapper.HnswParameters;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.sameInstance;

/** Each embedding field gets an HNSW format built with its own m and ef_construction; other fields Lucene's default. */
public class EmbeddingVectorsFormatTests extends OpenSearchTestCase {
    public void testAFieldsFormatCarriesBothOfItsParameters() {
        Map<String, HnswParameters> fields = Map.of("a", new HnswParameters(4, 40), "b", new HnswParameters(4, 40), "c", new HnswParameters(24, 200));
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
    }
}
