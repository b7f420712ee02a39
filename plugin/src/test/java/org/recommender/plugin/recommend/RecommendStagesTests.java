package org.recommender.plugin.recommend;

import org.apache.lucene.search.TotalHits;
import org.opensearch.Version;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.MultiSearchResponse;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.ShardSearchFailure;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.common.document.DocumentField;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.index.shard.ShardId;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.IdsQueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchHit;
import org.opensearch.search.SearchHits;
import org.opensearch.search.SearchShardTarget;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.internal.InternalSearchResponse;
import org.opensearch.test.OpenSearchTestCase;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.model.RandomModels;
import org.recommender.core.rank.MaximalMarginalRelevance;
import org.recommender.core.scoring.Kernel;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.compute.ScoringBudget;
import org.recommender.plugin.query.EmbeddingKnnQueryBuilder;
import org.recommender.plugin.query.RecommenderRescorerBuilder;
import org.recommender.plugin.query.RescorerServices;
import org.recommender.plugin.query.UserSpec;
import org.recommender.plugin.stats.RecommenderStats;
import org.recommender.plugin.store.ModelCache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/**
 * The {@code _recommend} stages on their own, without a cluster: the plan's decisions, the candidate searches built
 * from it, and the ranking of given candidates against a double-precision reference.
 */
public class RecommendStagesTests extends OpenSearchTestCase {
    private static final int DIMS = 4;

    private static Metadata metadata(int shards, int maxResultWindow) {
        IndexMetadata index = IndexMetadata.builder("items")
            .settings(
                Settings.builder()
                    .put(IndexMetadata.SETTING_VERSION_CREATED, Version.CURRENT)
                    .put(IndexMetadata.SETTING_NUMBER_OF_SHARDS, shards)
                    .put(IndexMetadata.SETTING_NUMBER_OF_REPLICAS, 0)
                    .put("index.max_result_window", maxResultWindow)
            )
            .build();
        return Metadata.builder().put(index, false).build();
    }

    private static RecommendQuery query(int users, int k, int numCandidates, boolean candidateQuery, String model, double mmrLambda) {
        List<UserSpec> specs = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            specs.add(UserSpec.ofVector(new float[] { 1, u, 0.5f, -1 }));
        }
        return new RecommendQuery(
            "emb", specs, users > 1, k, numCandidates, false, candidateQuery ? QueryBuilders.matchAllQuery() : null, null,
            List.of("x1"), null, model, mmrLambda, -1, null, null, true, false, null
        );
    }

    private static RecommendPlan plan(RecommendQuery query, Metadata metadata, ModelCache.Entry model) {
        return RecommendPlan.of(
            query, new String[] { "items" }, IndicesOptions.strictExpandOpenAndForbidClosed(), metadata, new String[] { "items" },
            new ItemField(DIMS, VectorSimilarity.DOT_PRODUCT), model
        );
    }

    /** A compiled MLP over vectors of {@code dims} on both sides. */
    private static ModelCache.Entry mlp(int dims) {
        return new ModelCache.Entry(3, "c3", RandomModels.mlp(dims, new int[] { 8 }, 1).compile(KernelProvider.jvmOnly()));
    }

    public void testThePlanDecidesWhereCandidatesAreScored() {
        Metadata twoShards = metadata(2, 10_000);
        assertTrue("one user: on the shards", plan(query(1, 5, 100, false, null, Double.NaN), twoShards, null).scoreOnShards());
        assertFalse("a batch: here, one call per user", plan(query(2, 5, 100, false, null, Double.NaN), twoShards, null).scoreOnShards());
        assertFalse("a batch at exactly one page", plan(query(2, 5, 5_000, false, null, Double.NaN), twoShards, null).scoreOnShards());
        assertTrue("a batch over one page of max_result_window", plan(query(2, 5, 5_001, false, null, Double.NaN), twoShards, null).scoreOnShards());
        assertTrue("the indices' own window", plan(query(2, 5, 300, false, null, Double.NaN), metadata(4, 1_000), null).scoreOnShards());
        assertFalse("a candidate query without a model", plan(query(1, 5, 100, true, null, Double.NaN), twoShards, null).scoreOnShards());
        assertTrue("a candidate query with a model", plan(query(2, 5, 100, true, "m", Double.NaN), twoShards, mlp(DIMS)).scoreOnShards());
        RecommendPlan planned = plan(query(2, 5, 100, false, "m", Double.NaN), twoShards, mlp(DIMS));
        assertEquals(2, planned.shards());
        assertEquals("model [m] version [3]", planned.scoredBy());
        IllegalArgumentException wrongDims = expectThrows(
            IllegalArgumentException.class,
            () -> plan(query(1, 5, 100, false, "m", Double.NaN), twoShards, mlp(DIMS + 1))
        );
        assertEquals("[model] [m] scores items of 5 dimensions but [field] [emb] has 4", wrongDims.getMessage());
    }

    public void testAQueryIsValidByConstruction() {
        assertEquals(100, query(1, 5, -1, false, null, Double.NaN).numCandidates());
        assertEquals(50, query(1, 5, 100, false, null, 0.5).mmrPool());
        assertEquals(
            "[candidates.num_candidates] must be between [k] (20) and 10000 but was 10",
            expectThrows(IllegalArgumentException.class, () -> query(1, 20, 10, false, null, Double.NaN)).getMessage()
        );
        assertEquals(
            "[diversity.mmr.lambda] must be between 0 and 1 but was 1.5",
            expectThrows(IllegalArgumentException.class, () -> query(1, 5, 100, false, null, 1.5)).getMessage()
        );
        assertEquals("[k] must be at least 1 but was 0", expectThrows(IllegalArgumentException.class, () -> query(1, 0, 100, false, null, Double.NaN)).getMessage());
    }

    /**
     * The scoring budget counts what each thread does: this node's ranking thread scores every candidate of a batch
     * scored here (num_candidates from every shard per user; a best-score user once per example; a fallback user
     * nothing) and runs MMR's k × pool comparisons; a shard's rescore window is num_candidates documents. Each count is
     * worked out by hand; the budget is set at it, then one below.
     */
    public void testTheScoringBudgetCountsWhatEachThreadDoes() {
        Metadata twoShards = metadata(2, 10_000);
        long mlpItem = 8 * DIMS + 8; // mlp(DIMS, {8}): 8 rows over the item's DIMS features, then the 8 → 1 output
        RecommendPlan batch = plan(query(3, 5, 100, false, "m", Double.NaN), twoShards, mlp(DIMS));
        assertFalse(batch.scoreOnShards());
        List<ResolvedUser> users = new ArrayList<>();
        for (int u = 0; u < 3; u++) {
            users.add(new ResolvedUser("u" + u, Strategy.VECTOR, new float[] { 1, u, 0, 0 }, Set.of()));
        }
        long work = 3 * 100 * 2 * mlpItem;
        batch.checkWork(users, new ScoringBudget(work));
        IllegalArgumentException over = expectThrows(IllegalArgumentException.class, () -> batch.checkWork(users, new ScoringBudget(work - 1)));
        assertThat(over.getMessage(), startsWith("[candidates.num_candidates]: ranking on the coordinating node (scoring up to 200 candidates"
            + " for each of 3 users with model [m] version [3] (" + mlpItem + " multiply-adds an item)) takes " + String.format(Locale.ROOT, "%,d", work)));
        assertThat(over.getMessage(), containsString("[recommender.scoring.max_work]"));

        List<ResolvedUser> oneFallback = new ArrayList<>(users.subList(0, 2));
        oneFallback.add(new ResolvedUser("cold", Strategy.FALLBACK, null, Set.of()));
        batch.checkWork(oneFallback, new ScoringBudget(2 * 100 * 2 * mlpItem));

        // a best-score user scored here: each of its 3 examples against every candidate
        org.recommender.core.vector.BestScore three = org.recommender.core.vector.BestScore.of(
            List.of(new float[] { 1, 0, 0, 0 }, new float[] { 0, 1, 0, 0 }), List.of(new float[] { 0, 0, 1, 0 }));
        List<ResolvedUser> withExamples = List.of(users.get(0), new ResolvedUser("ex", Strategy.EXAMPLES, null, Set.of(), null, three));
        RecommendPlan byField = plan(query(2, 5, 100, true, null, Double.NaN), twoShards, null);
        assertFalse(byField.scoreOnShards());
        // ... but a best-score user without a model is scored by its own search: only the vector user counts here,
        // num_candidates in all (a candidate query), each a DIMS-long dot product
        byField.checkWork(withExamples, new ScoringBudget(100 * DIMS));
        expectThrows(IllegalArgumentException.class, () -> byField.checkWork(withExamples, new ScoringBudget(100 * DIMS - 1)));

        // on the shards (one user): one shard's window of num_candidates, and with a best-score user's examples
        RecommendPlan single = plan(query(1, 5, 100, false, "m", Double.NaN), twoShards, mlp(DIMS));
        assertTrue(single.scoreOnShards());
        single.checkWork(users.subList(0, 1), new ScoringBudget(100 * mlpItem));
        IllegalArgumentException window = expectThrows(
            IllegalArgumentException.class, () -> single.checkWork(users.subList(0, 1), new ScoringBudget(100 * mlpItem - 1)));
        assertThat(window.getMessage(), startsWith("[candidates.num_candidates]: scoring a window of 100 documents with model [m]"));
        single.checkWork(withExamples.subList(1, 2), new ScoringBudget(3 * 100 * mlpItem));
        expectThrows(IllegalArgumentException.class, () -> single.checkWork(withExamples.subList(1, 2), new ScoringBudget(3 * 100 * mlpItem - 1)));

        // MMR on this node: k × pool × dims per user, beside the scoring (on the shards here: nothing else on this thread)
        RecommendPlan diverse = plan(query(1, 50, 100, false, "m", 0.5), twoShards, mlp(DIMS));
        long mmr = 50L * 100 * DIMS; // k 50, the default pool min(num_candidates, max(3k, 50)) = 100: more than the window's 100 × mlpItem
        diverse.checkWork(users.subList(0, 1), new ScoringBudget(mmr));
        IllegalArgumentException pool = expectThrows(
            IllegalArgumentException.class, () -> diverse.checkWork(users.subList(0, 1), new ScoringBudget(mmr - 1)));
        assertThat(pool.getMessage(), startsWith("[diversity.mmr.pool]: ranking on the coordinating node (diversifying 1 users' pools of 100 by MMR (k 50, 4 dimensions))"));
    }

    /**
     * A candidate search that failed on a shard runs the request again for a passing cause (a replaced model, a node
     * leaving) but not for an overloaded node: a full search queue or a tripped breaker (429) would be met with up to
     * seven runs more of the whole request.
     */
    public void testAnOverloadedShardIsNotRetried() {
        SearchShardTarget shard = new SearchShardTarget("n1", new ShardId("items", "_na_", 0), null, null);
        ShardSearchFailure rejected = new ShardSearchFailure(
            new org.opensearch.core.concurrency.OpenSearchRejectedExecutionException("search queue is full"), shard);
        ShardSearchFailure breaker = new ShardSearchFailure(
            new org.opensearch.core.common.breaker.CircuitBreakingException("too much", 10, 5,
                org.opensearch.core.common.breaker.CircuitBreaker.Durability.TRANSIENT), shard);
        ShardSearchFailure conflict = new ShardSearchFailure(
            new org.opensearch.OpenSearchStatusException("model replaced", org.opensearch.core.rest.RestStatus.CONFLICT), shard);
        for (ShardSearchFailure overloaded : List.of(rejected, breaker)) {
            org.opensearch.OpenSearchStatusException failure = RetryPolicy.partialCandidates(new ShardSearchFailure[] { overloaded });
            assertEquals(org.opensearch.core.rest.RestStatus.TOO_MANY_REQUESTS, failure.status());
            assertFalse(overloaded.reason(), RetryPolicy.retryable(failure));
        }
        assertTrue(RetryPolicy.retryable(RetryPolicy.partialCandidates(new ShardSearchFailure[] { conflict })));
    }

    public void testCandidateSearchesFollowThePlan() {
        RescorerServices rescorers = new RescorerServices(new RecommenderStats());
        Metadata twoShards = metadata(2, 10_000);
        List<ResolvedUser> users = List.of(
            new ResolvedUser(null, Strategy.VECTOR, new float[] { 1, 0, 0, 0 }, Set.of("x1", "seen-a")),
            new ResolvedUser("u2", Strategy.FALLBACK, null, Set.of("x1"))
        );
        RecommendQuery batch = new RecommendQuery(
            "emb", List.of(UserSpec.ofVector(new float[] { 1, 0, 0, 0 }), UserSpec.ofVector(new float[] { 0, 1, 0, 0 })), true, 5, 300, false,
            null, null, List.of("x1"), null, null, Double.NaN, -1, null, "popularity", false, false, null
        );
        MultiSearchRequest here = CandidateSearches.build(plan(batch, twoShards, null), users, rescorers);
        SearchSourceBuilder knn = here.requests().get(0).source();
        assertEquals("every shard's candidates come back to be scored here", 600, knn.size());
        assertTrue(
            "with their vectors, from Lucene's values: " + knn.ext(),
            knn.ext().stream().anyMatch(ext -> ext instanceof CandidateVectors.Ext vectors && vectors.field().equals("emb"))
        );
        assertNull("not through the fields option, which needs _source", knn.fetchFields());
        assertTrue(knn.query() instanceof EmbeddingKnnQueryBuilder);
        assertEquals(Set.of("x1", "seen-a"), excludedIds(knn.query().toString()));
        SearchSourceBuilder fallback = here.requests().get(1).source();
        assertEquals(5, fallback.size());
        assertTrue("a fallback user is ranked by the fallback field: " + fallback.sorts(), fallback.sorts().get(0).toString().contains("popularity"));
        BoolQueryBuilder restrictions = (BoolQueryBuilder) fallback.query();
        assertEquals(Set.of("x1"), ((IdsQueryBuilder) restrictions.mustNot().get(0)).ids());

        RecommendQuery single = query(1, 5, 100, false, "m", Double.NaN);
        RecommendPlan onShards = plan(single, twoShards, mlp(DIMS));
        SearchSourceBuilder rescored = CandidateSearches.build(onShards, users.subList(0, 1), rescorers).requests().get(0).source();
        assertEquals("the shards return only the best k", 5, rescored.size());
        assertEquals(1, rescored.rescores().size());
        RecommenderRescorerBuilder rescorer = (RecommenderRescorerBuilder) rescored.rescores().get(0);
        assertEquals(Integer.valueOf(100), rescorer.windowSize());
    }

    /** @return the ids of the {@code must_not} ids query inside a query's JSON */
    private static Set<String> excludedIds(String json) {
        int at = json.indexOf("\"values\"");
        String values = json.substring(json.indexOf('[', at) + 1, json.indexOf(']', at));
        Set<String> ids = new java.util.TreeSet<>();
        for (String id : values.split(",")) {
            ids.add(id.trim().replace("\"", ""));
        }
        return ids;
    }

    public void testTheRankerScoresGivenCandidatesLikeADoublePrecisionReference() throws Exception {
        java.util.Random random = new java.util.Random(5);
        int n = 30;
        float[][] items = new float[n][DIMS];
        SearchHit[] hits = new SearchHit[n + 1];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < DIMS; d++) {
                items[i][d] = random.nextFloat() * 2 - 1;
            }
            hits[i] = hit(i, "i" + i, items[i]);
        }
        hits[n] = hit(n, "x1", new float[] { 9, 9, 9, 9 }); // excluded: a search that leaked it must not return it
        float[][] users = { { 1, -0.5f, 0.25f, 2 }, { -1, 1, 0.5f, 0 } };
        RecommendQuery batch = new RecommendQuery(
            "emb", List.of(UserSpec.ofVector(users[0]), UserSpec.ofVector(users[1])), true, 7, 100, false, null, null, List.of("x1"), null,
            null, Double.NaN, -1, null, null, true, false, null
        );
        RecommendPlan plan = plan(batch, metadata(1, 10_000), null);
        assertFalse(plan.scoreOnShards());
        List<ResolvedUser> resolved = List.of(
            new ResolvedUser(null, Strategy.VECTOR, users[0], ResolvedUser.excluded(batch, List.of())),
            new ResolvedUser(null, Strategy.VECTOR, users[1], ResolvedUser.excluded(batch, List.of("i3")))
        );
        MultiSearchResponse.Item[] searches = { response(hits), response(hits) };
        List<UserRanking> ranked = new Ranker(plan).rank(resolved, searches);
        for (int u = 0; u < 2; u++) {
            List<RankedItem> got = ranked.get(u).items();
            assertEquals(7, got.size());
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (u == 1 && i == 3) {
                    continue; // the second user has seen i3
                }
                expected.add(i);
            }
            double[] reference = new double[n];
            for (int i = 0; i < n; i++) {
                double dot = 0;
                for (int d = 0; d < DIMS; d++) {
                    dot += (double) users[u][d] * items[i][d];
                }
                reference[i] = dot;
            }
            expected.sort(Comparator.comparingDouble((Integer i) -> -reference[i]));
            for (int r = 0; r < 7; r++) {
                RankedItem item = got.get(r);
                int i = expected.get(r);
                assertEquals("user " + u + " rank " + r, "i" + i, item.id());
                assertEquals(VectorSimilarity.DOT_PRODUCT.toScore((float) reference[i]), item.score(), 1e-5);
                assertEquals("field similarity [dot_product] of [emb]", item.explanation().get("scored_by"));
            }
        }
    }

    /**
     * A batch's users are each scored over their own candidates, one call per user, whatever the others' candidates
     * are: with disjoint candidates, no call sees more items than its user has (scoring every user against the union,
     * as before, made each call as large as all users' candidates together), and each user's scores are the model's.
     */
    public void testEachUserIsScoredOverItsOwnCandidatesOnly() throws Exception {
        int users = 3;
        int perUser = 40;
        ScoringModel mlp = RandomModels.mlp(DIMS, new int[] { 8 }, 1).compile(KernelProvider.jvmOnly());
        List<Integer> callSizes = new ArrayList<>();
        ScoringModel recording = new ScoringModel() {
            @Override
            public String type() {
                return mlp.type();
            }

            @Override
            public int userDims() {
                return mlp.userDims();
            }

            @Override
            public int itemDims() {
                return mlp.itemDims();
            }

            @Override
            public long itemWork() {
                return mlp.itemWork();
            }

            @Override
            public long memoryBytes() {
                return mlp.memoryBytes();
            }

            @Override
            public float score(float[] user, float[] item) {
                return mlp.score(user, item);
            }

            @Override
            public void score(float[] user, float[][] items, int count, float[] out) {
                callSizes.add(count);
                mlp.score(user, items, count, out);
            }

            @Override
            public void score(float[][] vectors, float[][] items, int count, float[][] out) {
                callSizes.add(vectors.length * count);
                mlp.score(vectors, items, count, out);
            }

            @Override
            public Kernel kernelFor(int count) {
                return mlp.kernelFor(count);
            }

            @Override
            public Kernel kernelFor(int batchUsers, int count) {
                return mlp.kernelFor(batchUsers, count);
            }
        };
        java.util.Random random = new java.util.Random(9);
        float[][] vectors = new float[users][DIMS];
        List<UserSpec> specs = new ArrayList<>();
        List<ResolvedUser> resolved = new ArrayList<>();
        MultiSearchResponse.Item[] searches = new MultiSearchResponse.Item[users];
        Map<String, float[]> items = new HashMap<>();
        for (int u = 0; u < users; u++) {
            for (int d = 0; d < DIMS; d++) {
                vectors[u][d] = random.nextFloat() * 2 - 1;
            }
            SearchHit[] hits = new SearchHit[perUser];
            for (int i = 0; i < perUser; i++) {
                float[] item = new float[DIMS];
                for (int d = 0; d < DIMS; d++) {
                    item[d] = random.nextFloat() * 2 - 1;
                }
                String id = "u" + u + "-i" + i; // no item is another user's candidate
                items.put(id, item);
                hits[i] = hit(u * perUser + i, id, item);
            }
            searches[u] = response(hits);
            specs.add(UserSpec.ofVector(vectors[u]));
        }
        RecommendQuery batch = new RecommendQuery(
            "emb", specs, true, 5, perUser, false, null, null, List.of(), null, "ranker", Double.NaN, -1, null, null, false, false, null
        );
        for (int u = 0; u < users; u++) {
            resolved.add(new ResolvedUser(null, Strategy.VECTOR, vectors[u], ResolvedUser.excluded(batch, List.of())));
        }
        RecommendPlan plan = plan(batch, metadata(1, 10_000), new ModelCache.Entry(3, "c3", recording));
        assertFalse(plan.scoreOnShards());
        List<UserRanking> ranked = new Ranker(plan).rank(resolved, searches);
        assertEquals("one call per user, each over that user's candidates", Collections.nCopies(users, perUser), callSizes);
        for (int u = 0; u < users; u++) {
            for (RankedItem item : ranked.get(u).items()) {
                assertTrue(item.id(), item.id().startsWith("u" + u + "-"));
                float raw = mlp.score(vectors[u], items.get(item.id()));
                assertEquals(item.id(), raw, item.score(), 1e-5 * Math.max(1, Math.abs(raw))); // a model's own score, untransformed
            }
        }
    }

    public void testTheRankerDiversifiesLikeTheCoreMmr() throws Exception {
        int n = 12;
        float[][] items = new float[n][];
        SearchHit[] hits = new SearchHit[n];
        for (int i = 0; i < n; i++) {
            items[i] = new float[] { 1, i % 3, (i * 7) % 5 - 2, i * 0.1f };
            hits[i] = hit(i, "i" + i, items[i]);
        }
        float[] user = { 0.5f, 1, -0.25f, 1 };
        RecommendQuery one = new RecommendQuery(
            "emb", List.of(UserSpec.ofVector(user)), true, 4, 12, false, QueryBuilders.matchAllQuery(), null, List.of(), null, null, 0.3, 8, null,
            null, false, false, null
        );
        RecommendPlan plan = plan(one, metadata(1, 10_000), null);
        List<RankedItem> got = new Ranker(plan).rank(
            List.of(new ResolvedUser(null, Strategy.VECTOR, user, Set.of())),
            new MultiSearchResponse.Item[] { response(hits) }
        ).get(0).items();
        // the reference: the 8 best by score, then core MMR over them
        Integer[] order = new Integer[n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            scores[i] = VectorSimilarity.DOT_PRODUCT.toScore(VectorSimilarity.DOT_PRODUCT.prepare(user).raw(items[i]));
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        float[] poolScores = new float[8];
        float[][] poolVectors = new float[8][];
        for (int i = 0; i < 8; i++) {
            poolScores[i] = scores[order[i]];
            poolVectors[i] = items[order[i]];
        }
        int[] selected = new MaximalMarginalRelevance(0.3).select(poolScores, poolVectors, 4).order();
        List<String> expected = new ArrayList<>();
        for (int s : selected) {
            expected.add("i" + order[s]);
        }
        assertEquals(expected, got.stream().map(RankedItem::id).toList());
    }

    private static SearchHit hit(int doc, String id, float[] vector) {
        List<Object> values = new ArrayList<>();
        for (float v : vector) {
            values.add(v);
        }
        SearchHit hit = new SearchHit(doc, id, Map.of("emb", new DocumentField("emb", values)), Map.of());
        hit.score(1f);
        hit.shard(new SearchShardTarget("node", new ShardId("items", "_na_", 0), null, null));
        return hit;
    }

    private static MultiSearchResponse.Item response(SearchHit[] hits) {
        SearchHits searchHits = new SearchHits(hits, new TotalHits(hits.length, TotalHits.Relation.EQUAL_TO), 1f);
        InternalSearchResponse internal = new InternalSearchResponse(searchHits, null, null, null, false, null, 1);
        SearchResponse response = new SearchResponse(internal, null, 1, 1, 0, 1, ShardSearchFailure.EMPTY_ARRAY, SearchResponse.Clusters.EMPTY);
        return new MultiSearchResponse.Item(response, null);
    }
}
