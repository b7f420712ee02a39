package org.recommender.plugin.query;

import org.opensearch.ExceptionsHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.test.OpenSearchTestCase;
import org.recommender.plugin.action.recommend.RecommendRequest;
import org.recommender.plugin.recommend.RecommendQuery;

import java.io.IOException;
import java.util.List;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The request bodies of every surface read through {@link StrictObjectParser}: the values land where they belong,
 * and a bad value's message — the headline of the 400 — is the reason itself, naming the field by its full path,
 * not {@code ObjectParser}'s "failed to parse field" wrapper.
 */
public class RequestParsingTests extends OpenSearchTestCase {
    private static final String USER = "\"user\": {\"vector\": [1, 2]}";

    private static XContentParser json(String body) throws IOException {
        return JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, body);
    }

    private static RecommendQuery recommend(String body) throws IOException {
        try (XContentParser parser = json(body)) {
            return new RecommendRequest("items").parse(parser).query();
        }
    }

    private static String recommendError(String body) {
        return expectThrows(IllegalArgumentException.class, () -> recommend(body)).getMessage();
    }

    public void testEveryRecommendFieldLandsWhereItBelongs() throws IOException {
        RecommendQuery q = recommend(
            "{\"field\": \"emb\", " + USER + ", \"k\": 7, \"candidates\": {\"knn\": {\"num_candidates\": 70, \"exact\": true}},"
                + " \"exclude\": {\"ids\": [\"a\", \"b\"], \"seen_field\": \"seen\"}, \"model\": \"m1\","
                + " \"diversity\": {\"mmr\": {\"pool\": 30}}, \"cold_start\": {\"history_field\": \"h\", \"fallback_field\": \"f\", \"encoder\": \"enc\"},"
                + " \"explain\": true, \"profile\": true}"
        );
        assertThat(q.field(), equalTo("emb"));
        assertArrayEquals(new float[] { 1, 2 }, q.users().get(0).vector(), 0f);
        assertFalse(q.batch());
        assertThat(q.k(), equalTo(7));
        assertThat(q.numCandidates(), equalTo(70));
        assertTrue(q.exact());
        assertThat(q.excludeIds(), equalTo(List.of("a", "b")));
        assertThat(q.seenField(), equalTo("seen"));
        assertThat(q.model(), equalTo("m1"));
        assertThat(q.mmrLambda(), equalTo(0.5)); // an mmr object without lambda takes the default
        assertThat(q.mmrPool(), equalTo(30));
        assertThat(q.historyField(), equalTo("h"));
        assertThat(q.fallbackField(), equalTo("f"));
        assertThat(q.historyEncoder(), equalTo("enc"));
        assertTrue(q.explain());
        assertTrue(q.profile());
    }

    public void testColdStartEncoderNeedsAHistoryFieldAndAModelId() {
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"cold_start\": {\"encoder\": \"enc\"}}"),
            equalTo("[cold_start.encoder] needs [cold_start.history_field]: it encodes the stored users' histories"));
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"cold_start\": {\"history_field\": \"h\", \"encoder\": \"no way\"}}"),
            org.hamcrest.Matchers.startsWith("[cold_start.encoder] must be [mean] or a stored user encoder's model id"));
    }

    public void testABadValueIsTheHeadlineNamingItsFullPath() {
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"candidates\": {\"knn\": {\"num_candidates\": 2.5}}}"),
            equalTo("[candidates.knn.num_candidates] must be an integer but was 2.5"));
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"k\": \"5\"}"), equalTo("[k] must be an integer"));
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"explain\": \"yes\"}"), equalTo("[explain] must be true or false"));
        assertThat(recommendError("{\"field\": \"emb\", \"user\": {\"id\": 5, \"index\": \"u\", \"field\": \"e\"}}"),
            equalTo("[user.id] must be a string"));
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"exclude\": {\"ids\": [\"a\", 3]}}"),
            equalTo("[exclude.ids][1] must be a string"));
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"diversity\": 1}"), equalTo("[diversity] must be a JSON object"));
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"users\": []}"), equalTo("give either [user] or [users], not both"));
        assertThat(recommendError("[1]"), equalTo("[_recommend] must be a JSON object"));
    }

    public void testUnknownFieldsAreRefusedWhereverTheyAre() {
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"colour\": 1}"), containsString("[_recommend] unknown field [colour]"));
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"candidates\": {\"knn\": {\"nprobe\": 1}}}"),
            containsString("[candidates.knn] unknown field [nprobe]"));
        assertThat(recommendError("{\"field\": \"emb\", \"user\": {\"vector\": [1], \"weight\": 2}}"), containsString("[user] unknown field [weight]"));
    }

    public void testDeepNestingIsRefusedAtItsFirstLevel() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"k\": " + deep + "}"), equalTo("[k] must be an integer"));
        assertThat(recommendError("{\"field\": \"emb\", \"user\": {\"vector\": " + deep + "}}"), startsWith("[user.vector] element [0] must be a number"));
    }

    public void testTheKnnQueryAndTheRescorerReadTheSameWay() throws IOException {
        try (XContentParser parser = json("{\"field\": \"emb\", " + USER + ", \"k\": 3, \"boost\": 2, \"_name\": \"q\"}")) {
            parser.nextToken();
            EmbeddingKnnQueryBuilder query = EmbeddingKnnQueryBuilder.fromXContent(parser);
            assertThat(query.boost(), equalTo(2f));
            assertThat(query.queryName(), equalTo("q"));
        }
        IllegalArgumentException knn = expectThrows(IllegalArgumentException.class, () -> {
            try (XContentParser parser = json("{\"field\": \"emb\", " + USER + ", \"k\": 2.5}")) {
                parser.nextToken();
                EmbeddingKnnQueryBuilder.fromXContent(parser);
            }
        });
        assertThat(knn.getMessage(), equalTo("[k] must be an integer but was 2.5"));
        IllegalArgumentException rescorer = expectThrows(IllegalArgumentException.class, () -> {
            try (XContentParser parser = json("{\"field\": \"emb\", " + USER + ", \"query_weight\": true}")) {
                parser.nextToken();
                RecommenderRescorerBuilder.parse(parser, null);
            }
        });
        assertThat(rescorer.getMessage(), equalTo("[query_weight] must be a number"));
    }

    public void testAQueryFieldTakesOneQueryObjectOnly() {
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"filter\": [{\"term\": {\"a\": 1}}]}"),
            equalTo("[filter] must be a query object"));
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"candidates\": {\"query\": \"a\"}}"),
            equalTo("[candidates.query] must be a query object"));
        assertThat(recommendError("{\"field\": \"emb\", " + USER + ", \"filter\": {\"no_such_query\": {}}}"),
            startsWith("[filter] is not a valid query"));
        IllegalArgumentException knn = expectThrows(IllegalArgumentException.class, () -> {
            try (XContentParser parser = json("{\"field\": \"emb\", " + USER + ", \"filter\": [{\"term\": {\"a\": 1}}]}")) {
                parser.nextToken();
                EmbeddingKnnQueryBuilder.fromXContent(parser);
            }
        });
        assertThat(knn.getMessage(), equalTo("[filter] must be a query object"));
    }

    public void testNullAndBrokenJsonAreClientErrors() {
        for (String body : new String[] {
            "{\"field\": \"emb\", " + USER + ", \"filter\": null}",
            "{\"field\": \"emb\", " + USER + ", \"k\": null}",
            "{\"field\": \"emb\", \"user\": null}",
            "{\"field\": \"emb\", " + USER + ", \"k\": 3",
            "{\"field\": \"emb\", " + USER + ", \"k\": 3}}",
            "{\"field\": emb}" }) {
            Exception e = expectThrows(Exception.class, body, () -> recommend(body));
            assertThat(body + " -> " + e, ExceptionsHelper.status(e), equalTo(RestStatus.BAD_REQUEST));
        }
    }
}
