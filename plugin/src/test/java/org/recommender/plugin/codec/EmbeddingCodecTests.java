package org.recommender.plugin.codec;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchSingleNodeTestCase;
import org.recommender.plugin.Nd4jThreadFilter;
import org.recommender.plugin.RecommenderPlugin;
import org.recommender.plugin.query.EmbeddingKnnQueryBuilder;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The {@code recommender} codec: an {@code embedding} field's {@code m} and {@code ef_construction} shape the graph
 * Lucene writes (read back from the segment), segments reopen by the codec's name, and the parameters are refused
 * where they could not take effect.
 */
@ThreadLeakFilters(filters = Nd4jThreadFilter.class)
public class EmbeddingCodecTests extends OpenSearchSingleNodeTestCase {
    // above the size under which Lucene skips the graph (n > 100 ln n) and searches exhaustively
    private static final int DOCS = 1500;
    private static final int DIMS = 8;

    @Override
    protected Collection<Class<? extends Plugin>> getPlugins() {
        return List.of(RecommenderPlugin.class, org.recommender.plugin.TestClusterWipe.class);
    }

    private void create(String index, String codec, String extraFieldParams) {
        Settings.Builder settings = Settings.builder().put("index.number_of_shards", 1).put("index.number_of_replicas", 0);
        if (codec != null) {
            settings.put("index.codec", codec);
        }
        client().admin()
            .indices()
            .prepareCreate(index)
            .setSettings(settings)
            .setMapping("{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + DIMS + extraFieldParams + "}}}")
            .get();
    }

    private void fill(String index) {
        Random random = new Random(42);
        BulkRequestBuilder bulk = client().prepareBulk(index);
        for (int i = 0; i < DOCS; i++) {
            StringBuilder v = new StringBuilder("[");
            for (int d = 0; d < DIMS; d++) {
                v.append(d == 0 ? "" : ",").append(random.nextGaussian());
            }
            bulk.add(client().prepareIndex(index).setId("d" + i).setSource("{\"emb\":" + v + "]}", XContentType.JSON));
        }
        assertFalse(bulk.get().hasFailures());
        client().admin().indices().prepareForceMerge(index).setMaxNumSegments(1).get();
        client().admin().indices().prepareRefresh(index).get();
    }

    /** The largest number of links any vector has on the bottom layer, and the codec that wrote the segment. */
    private String[] inspect(String index) throws IOException {
        IndexShard shard = getInstanceFromNode(IndicesService.class).indexServiceSafe(resolveIndex(index)).getShard(0);
        try (Engine.Searcher searcher = shard.acquireSearcher("test")) {
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            assertThat(leaves.size(), equalTo(1));
            SegmentReader segment = (SegmentReader) FilterLeafReader.unwrap(leaves.get(0).reader());
            KnnVectorsReader vectors = ((PerFieldKnnVectorsFormat.FieldsReader) segment.getVectorReader()).getFieldReader("emb");
            HnswGraph graph = ((HnswGraphProvider) vectors).getGraph("emb");
            int maxLinks = 0;
            for (int node = 0; node < graph.size(); node++) {
                graph.seek(0, node);
                int links = 0;
                while (graph.nextNeighbor() != DocIdSetIterator.NO_MORE_DOCS) {
                    links++;
                }
                maxLinks = Math.max(maxLinks, links);
            }
            return new String[] { Integer.toString(maxLinks), segment.getSegmentInfo().info.getCodec().getName() };
        }
    }

    public void testFieldParametersShapeTheGraph() throws IOException {
        create("narrow", EmbeddingCodec.ALIAS, ",\"m\":4,\"ef_construction\":16");
        create("lucene", null, "");
        fill("narrow");
        fill("lucene");

        String[] narrow = inspect("narrow");
        String[] lucene = inspect("lucene");
        // Lucene keeps up to 2m links per vector on the bottom layer: 8 with m = 4, 32 with its default m = 16
        assertThat(Integer.parseInt(narrow[0]), lessThanOrEqualTo(8));
        assertThat(Integer.parseInt(narrow[0]), greaterThan(0));
        assertThat("the default graph is denser", Integer.parseInt(lucene[0]), greaterThan(8));
        assertThat(narrow[1], equalTo(EmbeddingCodec.writtenName()));

        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> field = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) client().admin()
            .indices()
            .prepareGetMappings("narrow")
            .get()
            .getMappings()
            .get("narrow")
            .sourceAsMap()
            .get("properties")).get("emb");
        assertThat(field.get("m"), equalTo(4));
        assertThat(field.get("ef_construction"), equalTo(16));
    }

    public void testSegmentsWrittenByTheCodecReopenAndSearch() throws IOException {
        create("reopened", EmbeddingCodec.ALIAS, ",\"m\":6,\"ef_construction\":24");
        fill("reopened");
        Set<String> before = top("reopened");
        client().admin().indices().prepareClose("reopened").get();
        client().admin().indices().prepareOpen("reopened").setWaitForActiveShards(1).get();
        assertThat(inspect("reopened")[1], equalTo(EmbeddingCodec.writtenName()));
        assertThat(top("reopened"), equalTo(before));
        assertThat(before.size(), equalTo(10));
    }

    private Set<String> top(String index) {
        float[] user = new float[DIMS];
        user[0] = 1;
        SearchResponse response = client().prepareSearch(index)
            .setQuery(EmbeddingKnnQueryBuilder.forVector("emb", user, 10, DOCS, null, false))
            .setSize(10)
            .get();
        Set<String> ids = new HashSet<>();
        response.getHits().forEach(h -> ids.add(h.getId()));
        return ids;
    }

    /**
     * Lucene finds every codec generation this build registers by the name its segments carry, so a node can open
     * segments written by an older generation (an index written on OpenSearch 3.5 read on a newer release).
     */
    public void testEveryRegisteredGenerationOpensByName() {
        org.apache.lucene.codecs.Codec older = org.apache.lucene.codecs.Codec.forName(EmbeddingCodec103.NAME);
        assertEquals(EmbeddingCodec103.NAME, older.getName());
        assertEquals("reads with Lucene's 103 formats", "Lucene103", ((EmbeddingCodec) older).delegate().getName());
        if (org.apache.lucene.util.Version.LATEST.onOrAfter(org.apache.lucene.util.Version.fromBits(10, 4, 0))) {
            org.apache.lucene.codecs.Codec current = org.apache.lucene.codecs.Codec.forName(EmbeddingCodec104.NAME);
            assertEquals("Lucene104", ((EmbeddingCodec) current).delegate().getName());
            assertEquals(EmbeddingCodec104.NAME, EmbeddingCodec.writtenName());
        } else {
            assertEquals("Lucene 10.3 (OpenSearch 3.5) writes the 103 generation", EmbeddingCodec103.NAME, EmbeddingCodec.writtenName());
        }
    }

    public void testParametersAreRefusedWhereTheyCannotTakeEffect() {
        MapperParsingException withoutCodec = expectThrows(MapperParsingException.class, () -> create("a", null, ",\"m\":8"));
        assertThat(messages(withoutCodec), containsString("[emb] [m] and [ef_construction] take effect only in an index with \"index.codec\": \"recommender\""));
        MapperParsingException exact = expectThrows(
            MapperParsingException.class,
            () -> create("b", EmbeddingCodec.ALIAS, ",\"index\":false,\"ef_construction\":50")
        );
        assertThat(messages(exact), containsString("which [index]: false does not build"));
        MapperParsingException range = expectThrows(MapperParsingException.class, () -> create("c", EmbeddingCodec.ALIAS, ",\"m\":1"));
        assertThat(messages(range), containsString("[emb] [m] must be between 2 and 512 but was 1"));
        MapperParsingException beam = expectThrows(
            MapperParsingException.class,
            () -> create("d", EmbeddingCodec.ALIAS, ",\"ef_construction\":5000")
        );
        assertThat(messages(beam), containsString("[ef_construction] must be between 2 and 3200 but was 5000"));
        // the defaults need no codec
        create("e", null, ",\"m\":16,\"ef_construction\":100");
    }

    public void testTheCodecOfAClosedIndexWithGraphParametersCannotBeChangedAway() {
        create("closed", EmbeddingCodec.ALIAS, ",\"m\":8");
        client().admin().indices().prepareClose("closed").get();
        Exception refused = expectThrows(
            Exception.class,
            () -> client().admin().indices().prepareUpdateSettings("closed").setSettings(Settings.builder().put("index.codec", "default")).get()
        );
        assertThat(messages(refused), containsString("take effect only in an index with \"index.codec\": \"" + EmbeddingCodec.ALIAS + "\""));
        client().admin().indices().prepareOpen("closed").get();
        assertEquals(EmbeddingCodec.ALIAS, client().admin().indices().prepareGetSettings("closed").get().getSetting("closed", "index.codec"));
    }

    /**
     * {@code "graph": false}: the segment holds Lucene vectors and no graph, the field's reader is the exhaustive one
     * (found by name again after a reopen), and {@code embedding_knn} without {@code exact} returns the true top 10 —
     * checked against a double-precision scan of the vectors {@link #fill} wrote — with the scores of an exact scan.
     */
    public void testAFieldWithoutAGraphIsSearchedExactly() throws IOException {
        create("nograph", EmbeddingCodec.ALIAS, ",\"graph\":false");
        fill("nograph");
        assertThat(fieldReader("nograph"), org.hamcrest.Matchers.instanceOf(FlatEmbeddingVectorsFormat.ExhaustiveReader.class));
        float[] user = new float[DIMS];
        Random random = new Random(7);
        for (int d = 0; d < DIMS; d++) {
            user[d] = (float) random.nextGaussian();
        }
        List<String> expected = referenceTop(user, 10);
        SearchResponse approximate = search("nograph", user, false);
        SearchResponse exact = search("nograph", user, true);
        assertThat(ids(approximate), equalTo(expected));
        assertThat(ids(exact), equalTo(expected));
        // the bits of the plugin's exact scan, as on every other exact surface (Lucene's vector search sums in another order)
        for (int i = 0; i < 10; i++) {
            assertEquals(exact.getHits().getAt(i).getScore(), approximate.getHits().getAt(i).getScore(), 0f);
        }
        client().admin().indices().prepareClose("nograph").get();
        client().admin().indices().prepareOpen("nograph").setWaitForActiveShards(1).get();
        assertThat(fieldReader("nograph"), org.hamcrest.Matchers.instanceOf(FlatEmbeddingVectorsFormat.ExhaustiveReader.class));
        assertThat(ids(search("nograph", user, false)), equalTo(expected));
        assertEquals(false, fieldMapping("nograph").get("graph"));
    }

    /** Without a graph a field may have up to 4,096 dimensions, where Lucene's graph stops at 1,024. */
    public void testAFieldWithoutAGraphTakesMoreDimensionsThanAGraphCould() {
        int dims = 2048;
        client().admin()
            .indices()
            .prepareCreate("wide")
            .setSettings(Settings.builder().put("index.number_of_shards", 1).put("index.codec", EmbeddingCodec.ALIAS))
            .setMapping("{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":" + dims + ",\"graph\":false}}}")
            .get();
        StringBuilder a = new StringBuilder("[");
        StringBuilder b = new StringBuilder("[");
        float[] user = new float[dims];
        for (int d = 0; d < dims; d++) {
            a.append(d == 0 ? "" : ",").append(d % 2 == 0 ? 1 : 0);
            b.append(d == 0 ? "" : ",").append(d % 2 == 0 ? 0 : 2);
            user[d] = 1;
        }
        client().prepareIndex("wide").setId("a").setSource("{\"emb\":" + a + "]}", XContentType.JSON).get();
        client().prepareIndex("wide").setId("b").setSource("{\"emb\":" + b + "]}", XContentType.JSON).get();
        client().admin().indices().prepareRefresh("wide").get();
        SearchResponse response = client().prepareSearch("wide").setQuery(EmbeddingKnnQueryBuilder.forVector("emb", user, 2, 2, null, false)).get();
        assertThat(ids(response), equalTo(List.of("b", "a")));
        // dot products 2,048 and 1,024, through the plugin's non-negative transform for dot products: 1 + dot
        assertEquals(1 + 2048f, response.getHits().getAt(0).getScore(), 0f);
        assertEquals(1 + 1024f, response.getHits().getAt(1).getScore(), 0f);
    }

    public void testNoGraphIsRefusedWhereItCannotTakeEffect() {
        MapperParsingException withoutCodec = expectThrows(MapperParsingException.class, () -> create("f", null, ",\"graph\":false"));
        assertThat(messages(withoutCodec), containsString("[emb] [graph]: false takes effect only in an index with \"index.codec\": \"recommender\""));
        MapperParsingException withM = expectThrows(MapperParsingException.class, () -> create("g", EmbeddingCodec.ALIAS, ",\"graph\":false,\"m\":8"));
        assertThat(messages(withM), containsString("[emb] [m] and [ef_construction] shape the HNSW graph, which [graph]: false does not build"));
        MapperParsingException docValues = expectThrows(
            MapperParsingException.class,
            () -> create("i", EmbeddingCodec.ALIAS, ",\"index\":false,\"graph\":false")
        );
        assertThat(messages(docValues), containsString("[emb] [graph]: false keeps Lucene vectors without a graph, but [index]: false stores no Lucene vectors"));
        MapperParsingException wide = expectThrows(
            MapperParsingException.class,
            () -> client().admin()
                .indices()
                .prepareCreate("h")
                .setMapping("{\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":2048,\"graph\":false}}}")
                .get()
        );
        assertThat(messages(wide), containsString("[graph]: false takes effect only in an index with"));
    }

    private KnnVectorsReader fieldReader(String index) throws IOException {
        IndexShard shard = getInstanceFromNode(IndicesService.class).indexServiceSafe(resolveIndex(index)).getShard(0);
        try (Engine.Searcher searcher = shard.acquireSearcher("test")) {
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            assertThat(leaves.size(), equalTo(1));
            SegmentReader segment = (SegmentReader) FilterLeafReader.unwrap(leaves.get(0).reader());
            assertThat(segment.getSegmentInfo().info.getCodec().getName(), equalTo(EmbeddingCodec.writtenName()));
            return ((PerFieldKnnVectorsFormat.FieldsReader) segment.getVectorReader()).getFieldReader("emb");
        }
    }

    /** The ids of the {@code k} largest inner products with {@code user}, in double precision, over what {@link #fill} wrote. */
    private static List<String> referenceTop(float[] user, int k) {
        Random random = new Random(42);
        double[] dots = new double[DOCS];
        for (int i = 0; i < DOCS; i++) {
            for (int d = 0; d < DIMS; d++) {
                dots[i] += (double) (float) random.nextGaussian() * user[d];
            }
        }
        return java.util.stream.IntStream.range(0, DOCS)
            .boxed()
            .sorted((x, y) -> Double.compare(dots[y], dots[x]))
            .limit(k)
            .map(i -> "d" + i)
            .toList();
    }

    private SearchResponse search(String index, float[] user, boolean exact) {
        return client().prepareSearch(index).setQuery(EmbeddingKnnQueryBuilder.forVector("emb", user, 10, 100, null, exact)).setSize(10).get();
    }

    private static List<String> ids(SearchResponse response) {
        List<String> ids = new java.util.ArrayList<>();
        response.getHits().forEach(h -> ids.add(h.getId()));
        return ids;
    }

    @SuppressWarnings("unchecked")
    private java.util.Map<String, Object> fieldMapping(String index) {
        return (java.util.Map<String, Object>) ((java.util.Map<String, Object>) client().admin()
            .indices()
            .prepareGetMappings(index)
            .get()
            .getMappings()
            .get(index)
            .sourceAsMap()
            .get("properties")).get("emb");
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
