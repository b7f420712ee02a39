package org.recommender.plugin.mapper;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchSingleNodeTestCase;
import org.recommender.plugin.Nd4jThreadFilter;
import org.recommender.plugin.RecommenderPlugin;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@ThreadLeakFilters(filters = Nd4jThreadFilter.class)
public class EmbeddingFieldMapperTests extends OpenSearchSingleNodeTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> getPlugins() {
        return List.of(RecommenderPlugin.class, org.recommender.plugin.TestClusterWipe.class);
    }

    private void createIndex(String index, String fieldMapping) {
        client().admin()
            .indices()
            .prepareCreate(index)
            .setMapping("{\"properties\":{\"title\":{\"type\":\"keyword\"},\"emb\":" + fieldMapping + "}}")
            .get();
    }

    public void testMappingRoundTripsWithDefaults() {
        createIndex("items", "{\"type\":\"embedding\",\"dims\":3}");
        Map<String, Object> field = fieldMapping("items");
        assertThat(field.get("type"), equalTo("embedding"));
        assertThat(field.get("dims"), equalTo(3));
        assertThat(field.get("similarity"), equalTo("dot_product"));
        assertThat(field.get("index"), equalTo(true));
    }

    public void testFieldsOptionReturnsTheStoredFloat32VectorsNotTheSource() {
        for (String index : List.of("hnsw", "exact")) {
            createIndex(index, "{\"type\":\"embedding\",\"dims\":2,\"index\":" + index.equals("hnsw") + "}");
            for (int i = 0; i < 5; i++) {
                client().prepareIndex(index).setId("d" + i).setSource("{\"emb\":[0.123456789, " + i + ".987654321]}", XContentType.JSON).get();
            }
            client().prepareIndex(index).setId("none").setSource("{\"title\":\"no vector\"}", XContentType.JSON).get();
            client().admin().indices().prepareRefresh(index).get();
            SearchResponse response = client().prepareSearch(index).setFetchSource(false).addFetchField("emb").setSize(10).get();
            assertThat(response.getHits().getHits().length, equalTo(6));
            for (org.opensearch.search.SearchHit hit : response.getHits().getHits()) {
                if (hit.getId().equals("none")) {
                    assertNull(hit.field("emb"));
                    continue;
                }
                int i = Integer.parseInt(hit.getId().substring(1));
                // the source holds 0.123456789 (a double); Lucene holds the float32 the queries score with
                assertThat(index, hit.field("emb").getValues(), equalTo(List.<Object>of(0.123456789f, i + 0.987654321f)));
            }
        }
    }

    /**
     * A vector under a {@code nested} object lives in the nested Lucene documents: the {@code fields} option of the
     * root hit returns it from the source (it read the root document's values, found none, and left it out).
     */
    public void testFieldsOptionReturnsANestedVector() {
        client().admin().indices().prepareCreate("variants")
            .setMapping("{\"properties\":{\"variants\":{\"type\":\"nested\",\"properties\":{\"emb\":{\"type\":\"embedding\",\"dims\":2}}}}}")
            .get();
        client().prepareIndex("variants").setId("p").setSource("{\"variants\":[{\"emb\":[1,2]},{\"emb\":[3,4]}]}", XContentType.JSON).get();
        client().admin().indices().prepareRefresh("variants").get();
        SearchResponse response = client().prepareSearch("variants").setFetchSource(false).addFetchField("variants.emb").get();
        org.opensearch.common.document.DocumentField field = response.getHits().getHits()[0].field("variants.emb");
        assertNotNull("the nested vectors are returned", field);
        // as the source holds them, every nested object's in order
        assertThat(String.valueOf(field.getValues()).replaceAll("[^0-9]", ""), equalTo("1234"));
    }

    /**
     * With {@code index.derived_source.enabled} the index keeps no {@code _source}: OpenSearch rebuilds it from each
     * field's own values. An embedding is rebuilt from the float32 values it holds, in either layout: GET (realtime,
     * from the translog, and from a segment) and search return the vector (as float32: 0.123456789 comes back as 0.12345679), and a document without one has none.
     */
    public void testDerivedSourceRebuildsTheVectorFromWhatTheFieldHolds() {
        for (boolean indexed : new boolean[] { true, false }) {
            String index = "derived-" + indexed;
            client().admin()
                .indices()
                .prepareCreate(index)
                .setSettings(org.opensearch.common.settings.Settings.builder().put("index.derived_source.enabled", true))
                .setMapping("{\"properties\":{\"title\":{\"type\":\"keyword\"},\"emb\":{\"type\":\"embedding\",\"dims\":3,\"index\":" + indexed + "}}}")
                .get();
            client().prepareIndex(index).setId("v").setSource("{\"title\":\"t\",\"emb\":[0.123456789, -2.5, 3e10]}", XContentType.JSON).get();
            client().prepareIndex(index).setId("none").setSource("{\"title\":\"u\"}", XContentType.JSON).get();
            float[] expected = { 0.123456789f, -2.5f, 3e10f };
            // a realtime GET before any refresh reads the document from the translog
            assertVector(index + " realtime GET", client().prepareGet(index, "v").setRealtime(true).get().getSourceAsMap(), expected);
            client().admin().indices().prepareRefresh(index).get();
            assertVector(index + " GET", client().prepareGet(index, "v").setRealtime(false).get().getSourceAsMap(), expected);
            assertFalse(client().prepareGet(index, "none").setRealtime(false).get().getSourceAsMap().containsKey("emb"));
            SearchResponse response = client().prepareSearch(index).setQuery(QueryBuilders.idsQuery().addIds("v")).get();
            assertVector(index + " search", response.getHits().getHits()[0].getSourceAsMap(), expected);
        }
    }

    private static void assertVector(String what, Map<String, Object> source, float[] expected) {
        assertThat(what + ": " + source, source.get("title"), org.hamcrest.Matchers.notNullValue());
        List<?> values = (List<?>) source.get("emb");
        assertNotNull(what + ": " + source, values);
        assertThat(what, values.size(), equalTo(expected.length));
        for (int k = 0; k < expected.length; k++) {
            assertEquals(what + " element " + k, expected[k], ((Number) values.get(k)).floatValue(), 0f);
        }
    }

    public void testMappingErrorsNameTheProblem() {
        MapperParsingException missingDims = expectThrows(
            MapperParsingException.class,
            () -> createIndex("a", "{\"type\":\"embedding\"}")
        );
        assertThat(rootMessage(missingDims), containsString("[dims] is required"));
        MapperParsingException badSimilarity = expectThrows(
            MapperParsingException.class,
            () -> createIndex("b", "{\"type\":\"embedding\",\"dims\":3,\"similarity\":\"manhattan\"}")
        );
        assertThat(rootMessage(badSimilarity), containsString("Unknown value [manhattan] for field [similarity]"));
        MapperParsingException tooLarge = expectThrows(
            MapperParsingException.class,
            () -> createIndex("c", "{\"type\":\"embedding\",\"dims\":2048}")
        );
        assertThat(rootMessage(tooLarge), containsString("at most 1024 when [index] is true"));
        MapperParsingException zero = expectThrows(
            MapperParsingException.class,
            () -> createIndex("d", "{\"type\":\"embedding\",\"dims\":0}")
        );
        assertThat(rootMessage(zero), containsString("dims must be between 1 and"));
        // core reads [fields] for every type: accepted, a sub-field would then exist nowhere
        MapperParsingException multi = expectThrows(
            MapperParsingException.class,
            () -> createIndex("f", "{\"type\":\"embedding\",\"dims\":3,\"fields\":{\"raw\":{\"type\":\"keyword\"}}}")
        );
        assertThat(rootMessage(multi), containsString("an [embedding] field takes no multi-fields [fields] but has [raw]"));
        // exact-only fields may be larger than the HNSW limit
        createIndex("e", "{\"type\":\"embedding\",\"dims\":2048,\"index\":false}");
    }

    public void testBadVectorsAreRejectedAndTheRestOfTheBulkIsKept() {
        for (boolean indexed : new boolean[] { true, false }) {
            String index = "bulk-" + indexed;
            createIndex(index, "{\"type\":\"embedding\",\"dims\":3,\"index\":" + indexed + "}");
            BulkResponse bulk = client().prepareBulk(index)
                .add(client().prepareIndex().setId("ok1").setSource("{\"emb\":[1,2,3]}", XContentType.JSON))
                .add(client().prepareIndex().setId("short").setSource("{\"emb\":[1,2]}", XContentType.JSON))
                .add(client().prepareIndex().setId("long").setSource("{\"emb\":[1,2,3,4]}", XContentType.JSON))
                .add(client().prepareIndex().setId("inf").setSource("{\"emb\":[1,1e39,3]}", XContentType.JSON))
                .add(client().prepareIndex().setId("string").setSource("{\"emb\":\"1,2,3\"}", XContentType.JSON))
                .add(client().prepareIndex().setId("strings").setSource("{\"emb\":[1,\"2\",3]}", XContentType.JSON))
                .add(client().prepareIndex().setId("object").setSource("{\"emb\":{\"x\":1}}", XContentType.JSON))
                .add(client().prepareIndex().setId("nested").setSource("{\"emb\":[[1,2,3]]}", XContentType.JSON))
                .add(client().prepareIndex().setId("ok2").setSource("{\"emb\":[-1,0.5,3]}", XContentType.JSON))
                .add(client().prepareIndex().setId("none").setSource("{\"title\":\"no vector\"}", XContentType.JSON))
                .add(client().prepareIndex().setId("null").setSource("{\"emb\":null}", XContentType.JSON))
                .setRefreshPolicy("true")
                .get();
            Map<String, String> failures = new java.util.HashMap<>();
            for (BulkItemResponse item : bulk.getItems()) {
                if (item.isFailed()) {
                    assertThat(item.getFailure().getStatus(), equalTo(RestStatus.BAD_REQUEST));
                    failures.put(item.getId(), rootMessage(item.getFailure().getCause()));
                }
            }
            assertThat(failures.keySet(), equalTo(java.util.Set.of("short", "long", "inf", "string", "strings", "object", "nested")));
            assertThat(failures.get("short"), containsString("[emb] has 2 dimensions but 3 were expected"));
            assertThat(failures.get("long"), containsString("[emb] has 4 dimensions but 3 were expected"));
            assertThat(failures.get("inf"), containsString("[emb] element [1] is Infinity"));
            assertThat(failures.get("string"), containsString("[emb] must be an array of 3 numbers but was a string"));
            assertThat(failures.get("strings"), containsString("[emb] element [1] must be a number but was a string"));
            assertThat(failures.get("object"), containsString("[emb] must be an array of 3 numbers but was an object"));
            assertThat(failures.get("nested"), containsString("[emb] element [0] must be a number but was an array"));
            SearchResponse all = client().prepareSearch(index).setSize(20).get();
            assertThat(all.getHits().getTotalHits().value(), equalTo(4L));
            SearchResponse withVector = client().prepareSearch(index).setQuery(QueryBuilders.existsQuery("emb")).get();
            assertThat(withVector.getHits().getTotalHits().value(), equalTo(2L));
        }
    }

    public void testCosineFieldsRefuseTheZeroVector() {
        createIndex("cos", "{\"type\":\"embedding\",\"dims\":2,\"similarity\":\"cosine\"}");
        MapperParsingException e = expectThrows(
            MapperParsingException.class,
            () -> client().prepareIndex("cos").setId("z").setSource("{\"emb\":[0,0]}", XContentType.JSON).get()
        );
        assertThat(rootMessage(e), containsString("[emb] is the zero vector"));
    }

    public void testTermQueriesPointToTheVectorSurfaces() {
        createIndex("terms", "{\"type\":\"embedding\",\"dims\":2}");
        client().prepareIndex("terms").setId("1").setSource("{\"emb\":[1,2]}", XContentType.JSON).setRefreshPolicy("true").get();
        Exception e = expectThrows(
            Exception.class,
            () -> client().prepareSearch("terms").setQuery(QueryBuilders.termQuery("emb", 1)).get()
        );
        assertThat(e.toString() + rootMessage(e), containsString("does not support term queries"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fieldMapping(String index) {
        Map<String, Object> mapping = client().admin().indices().prepareGetMappings(index).get().getMappings().get(index).sourceAsMap();
        return (Map<String, Object>) ((Map<String, Object>) mapping.get("properties")).get("emb");
    }

    static String rootMessage(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
