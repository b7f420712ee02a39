package org.recommender.plugin.script;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import org.opensearch.ExceptionsHelper;
import org.opensearch.Version;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.query.functionscore.ScriptScoreQueryBuilder;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.Plugin;
import org.opensearch.script.ScoreScript;
import org.opensearch.script.Script;
import org.opensearch.script.ScriptType;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchSingleNodeTestCase;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.Nd4jThreadFilter;
import org.recommender.plugin.RecommenderPlugin;
import org.recommender.plugin.ReferenceScores;
import org.recommender.plugin.SearchFailures;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.VectorBlock;
import org.recommender.plugin.stats.RecommenderStats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@ThreadLeakFilters(filters = Nd4jThreadFilter.class)
public class RecommenderScriptTests extends OpenSearchSingleNodeTestCase {
    private static final int DIMS = 8;
    private final Map<String, float[]> vectors = new HashMap<>();

    @Override
    protected Collection<Class<? extends Plugin>> getPlugins() {
        return List.of(RecommenderPlugin.class, org.recommender.plugin.TestClusterWipe.class);
    }

    @Override
    public void setUp() throws Exception {
        super.setUp();
        client().admin()
            .indices()
            .prepareCreate("items")
            .setMapping(
                "{\"properties\":{"
                    + "\"hnsw\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},"
                    + "\"flat\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"index\":false},"
                    + "\"title\":{\"type\":\"keyword\"}}}"
            )
            .get();
        BulkRequestBuilder bulk = client().prepareBulk("items").setRefreshPolicy("true");
        int docs = 60;
        for (int i = 0; i < docs; i++) {
            float[] v = new float[DIMS];
            for (int k = 0; k < DIMS; k++) {
                v[k] = randomFloat() * 2 - 1;
            }
            String id = "item" + i;
            Map<String, Object> source = new HashMap<>();
            source.put("title", id);
            if (i % 10 != 3) { // every tenth document has no vector
                vectors.put(id, v);
                source.put("hnsw", v);
                source.put("flat", v);
            }
            bulk.add(client().prepareIndex().setId(id).setSource(source));
        }
        assertFalse(bulk.get().hasFailures());
    }

    public void testDotAndCosineScoresEqualAnIndependentComputation() {
        float[] query = new float[DIMS];
        for (int k = 0; k < DIMS; k++) {
            query[k] = randomFloat() * 4 - 2;
        }
        for (String field : List.of("hnsw", "flat")) {
            assertScores(field, "dot", query, ReferenceScores::dot);
            assertScores(field, "cosine", query, ReferenceScores::cosine);
        }
    }

    private void assertScores(String field, String source, float[] query, BiFunction<float[], float[], Double> reference) {
        SearchResponse response = client().prepareSearch("items")
            .setQuery(QueryBuilders.scriptScoreQuery(QueryBuilders.matchAllQuery(), script(source, field, toList(query))))
            .setSize(100)
            .get();
        assertThat(response.getHits().getHits().length, equalTo(60));
        List<Double> expectedOrder = new ArrayList<>();
        double previous = Double.MAX_VALUE;
        for (SearchHit hit : response.getHits().getHits()) {
            float[] doc = vectors.get(hit.getId());
            double expected = doc == null ? 0 : reference.apply(query, doc);
            assertEquals(field + "/" + source + " " + hit.getId(), expected, hit.getScore(), 1e-5 * Math.max(1, expected));
            assertTrue("hits must come in score order", hit.getScore() <= previous + 1e-6);
            previous = hit.getScore();
            expectedOrder.add(expected);
        }
        for (int i = 1; i < expectedOrder.size(); i++) {
            assertTrue("ranking must follow the independent scores", expectedOrder.get(i) <= expectedOrder.get(i - 1) + 1e-5);
        }
    }

    /**
     * {@code script_score} without {@code min_score} runs the engine's bulk scorer where the release lets an engine
     * supply one (3.8 on); with {@code min_score} OpenSearch calls the script once per document. On several segments
     * with deletions, documents without a vector, a sub-query that matches some and a boost, both give the same hits
     * with the same scores, to the last bit.
     */
    public void testBulkAndPerDocumentScoringAgree() {
        client().admin().indices().prepareCreate("many")
            .setSettings(Map.of("index.number_of_shards", 1))
            .setMapping(
                "{\"properties\":{\"hnsw\":{\"type\":\"embedding\",\"dims\":" + DIMS + "},"
                    + "\"flat\":{\"type\":\"embedding\",\"dims\":" + DIMS + ",\"index\":false},\"tag\":{\"type\":\"keyword\"}}}"
            )
            .get();
        int docs = between(300, 500);
        for (int segment = 0; segment < 3; segment++) {
            BulkRequestBuilder bulk = client().prepareBulk("many").setRefreshPolicy("true");
            for (int i = segment; i < docs; i += 3) {
                Map<String, Object> source = new HashMap<>();
                source.put("tag", randomFrom("a", "b"));
                if (rarely() == false) {
                    float[] v = new float[DIMS];
                    for (int k = 0; k < DIMS; k++) {
                        v[k] = randomFloat() * 2 - 1;
                    }
                    source.put("hnsw", v);
                    source.put("flat", v);
                }
                bulk.add(client().prepareIndex().setId("d" + i).setSource(source));
            }
            assertFalse(bulk.get().hasFailures());
        }
        for (int i = 0; i < docs; i += between(5, 20)) {
            client().prepareDelete("many", "d" + i).get();
        }
        client().admin().indices().prepareRefresh("many").get();
        float[] query = new float[DIMS];
        for (int k = 0; k < DIMS; k++) {
            query[k] = randomFloat() * 4 - 2;
        }
        for (String field : List.of("hnsw", "flat")) {
            for (String source : List.of("dot", "cosine")) {
                for (QueryBuilder sub : List.<QueryBuilder>of(QueryBuilders.matchAllQuery(), QueryBuilders.termQuery("tag", "a"))) {
                    float boost = randomFrom(1f, randomFloat() * 3);
                    ScriptScoreQueryBuilder bulkQuery = QueryBuilders.scriptScoreQuery(sub, script(source, field, toList(query))).boost(boost);
                    ScriptScoreQueryBuilder perDocument = QueryBuilders.scriptScoreQuery(sub, script(source, field, toList(query)))
                        .boost(boost)
                        .setMinScore(0f); // every score passes; min_score turns OpenSearch's bulk path off
                    String where = field + "/" + source + "/" + sub + " boost " + boost;
                    RecommenderStats stats = getInstanceFromNode(RecommenderStats.class);
                    long before = stats.snapshot().get("script_bulk_segments");
                    SearchHit[] expected = client().prepareSearch("many").setQuery(perDocument).setSize(docs).get().getHits().getHits();
                    assertEquals("min_score keeps OpenSearch's per-document path", before, (long) stats.snapshot().get("script_bulk_segments"));
                    SearchHit[] actual = client().prepareSearch("many").setQuery(bulkQuery).setSize(docs).get().getHits().getHits();
                    if (Version.CURRENT.onOrAfter(Version.fromString("3.8.0"))) {
                        // OpenSearch did call the bulk scorer, once per segment searched
                        assertTrue(where + ": the bulk path ran", stats.snapshot().get("script_bulk_segments") > before);
                    }
                    assertTrue(where + ": more than one block", expected.length > VectorBlock.SIZE);
                    assertEquals(where, expected.length, actual.length);
                    // every hit comes back (size ≥ matches): the same documents with the same scores, to the last bit
                    // (one kernel on the same floats, rounding alike compiled or not), and in score order
                    Map<String, Float> perDocumentScores = new HashMap<>();
                    for (SearchHit hit : expected) {
                        perDocumentScores.put(hit.getId(), hit.getScore());
                    }
                    for (int i = 0; i < actual.length; i++) {
                        // scores equal to the bit, ties broken by document order in both: the same hit at every rank
                        assertEquals(where + " rank " + i, expected[i].getId(), actual[i].getId());
                        Float score = perDocumentScores.get(actual[i].getId());
                        assertNotNull(where + " " + actual[i].getId() + " only in the bulk hits", score);
                        assertEquals(where + " " + actual[i].getId(), Float.floatToRawIntBits(score), Float.floatToRawIntBits(actual[i].getScore()));
                        assertTrue(where + " score order", i == 0 || actual[i].getScore() <= actual[i - 1].getScore());
                    }
                }
            }
        }
    }

    /** Where the release has {@code ScoreScript.BulkScoringLeafFactory}, the engine's leaf factories implement it. */
    public void testTheEngineSuppliesABulkScorerWhereTheReleaseLetsIt() {
        Class<?> bulk = null;
        for (Class<?> nested : ScoreScript.class.getClasses()) {
            if (nested.getSimpleName().equals("BulkScoringLeafFactory")) {
                bulk = nested;
            }
        }
        assertEquals("3.8 added the interface", Version.CURRENT.onOrAfter(Version.fromString("3.8.0")), bulk != null);
        EmbeddingFieldType field = (EmbeddingFieldType) getInstanceFromNode(IndicesService.class).indexServiceSafe(resolveIndex("items"))
            .mapperService()
            .fieldType("flat");
        ScoreScript.LeafFactory factory = ScriptLeafFactories.of(
            new VectorScoreScriptFactory("dot", PairScorer.of(VectorSimilarity.DOT_PRODUCT), false, field, Map.of("field", "flat", "vector", toList(new float[DIMS])), null, null, new RecommenderStats())
        );
        if (bulk != null) {
            assertTrue("the leaf factory supplies a bulk scorer", bulk.isInstance(factory));
        }
        assertFalse(factory.needs_score());
    }

    public void testBadScriptsGetA400NamingTheProblem() {
        List<Object> good = toList(new float[DIMS]);
        good.set(0, 1.0);
        assertBadRequest(script("euclid", "hnsw", good), "unknown source [euclid] for lang [recommender]; expected one of [dot, cosine, model]");
        assertBadRequest(scriptWith("dot", Map.of("vector", good)), "[params.field] is required");
        assertBadRequest(script("dot", "missing", good), "[params.field] field [missing] does not exist in the mapping");
        assertBadRequest(script("dot", "title", good), "[params.field] field [title] is of type [keyword] but must be of type [embedding]");
        assertBadRequest(scriptWith("dot", Map.of("field", "hnsw")), "[params.vector] is required and must be an array of 8 numbers");
        assertBadRequest(script("dot", "hnsw", List.of(1.0, 2.0)), "[params.vector] has 2 dimensions but field [hnsw] has 8");
        List<Object> withString = new ArrayList<>(good);
        withString.set(3, "x");
        assertBadRequest(script("dot", "hnsw", withString), "[params.vector] element [3] must be a number but was [x]");
        assertBadRequest(script("cosine", "hnsw", toList(new float[DIMS])), "[params.vector] is the zero vector");
    }

    public void testOnlyScoreContextIsSupported() {
        Exception e = expectThrows(
            Exception.class,
            () -> client().prepareSearch("items").setQuery(QueryBuilders.scriptQuery(script("dot", "hnsw", toList(new float[DIMS])))).get()
        );
        assertThat(ExceptionsHelper.status(e), equalTo(RestStatus.BAD_REQUEST));
        assertThat(SearchFailures.describe(e), containsString("can only be used in script_score queries"));
    }

    private void assertBadRequest(Script script, String message) {
        Exception e = expectThrows(
            Exception.class,
            () -> client().prepareSearch("items").setQuery(QueryBuilders.scriptScoreQuery(QueryBuilders.matchAllQuery(), script)).get()
        );
        assertThat(SearchFailures.describe(e), ExceptionsHelper.status(e), equalTo(RestStatus.BAD_REQUEST));
        assertThat(SearchFailures.describe(e), containsString(message));
    }

    static Script script(String source, String field, List<Object> vector) {
        return scriptWith(source, Map.of("field", field, "vector", vector));
    }

    static Script scriptWith(String source, Map<String, Object> params) {
        return new Script(ScriptType.INLINE, RecommenderScriptEngine.NAME, source, params);
    }

    static List<Object> toList(float[] v) {
        List<Object> list = new ArrayList<>();
        for (float f : v) {
            list.add((double) f);
        }
        return list;
    }
}
