package org.recommender.plugin.script;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import org.opensearch.ExceptionsHelper;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.Plugin;
import org.opensearch.script.Script;
import org.opensearch.script.ScriptType;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchSingleNodeTestCase;
import org.recommender.plugin.Nd4jThreadFilter;
import org.recommender.plugin.RecommenderPlugin;
import org.recommender.plugin.ReferenceScores;
import org.recommender.plugin.SearchFailures;

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
