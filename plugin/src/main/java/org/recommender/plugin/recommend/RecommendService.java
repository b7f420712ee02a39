package org.recommender.plugin.recommend;

import org.apache.lucene.util.SetOnce;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.StepListener;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.MultiSearchResponse;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.lease.Releasable;
import org.opensearch.common.lease.Releasables;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.index.query.BaseQueryRewriteContext;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.Rewriteable;
import org.opensearch.core.tasks.TaskCancelledException;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.transport.client.ParentTaskAssigningClient;
import org.recommender.plugin.query.RescorerServices;
import org.recommender.plugin.stats.RecommenderStats;
import org.recommender.plugin.store.ClusterChurn;
import org.recommender.plugin.store.HeldMemory;
import org.recommender.plugin.store.ModelCache;
import org.recommender.plugin.store.ModelStoreService;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves {@code _recommend} on the coordinating node as named stages, each a class of its own that reads the run's
 * {@link RecommendPlan}: <b>plan</b> (limits, the items' field, the model pinned to one version for the whole run,
 * the scoring site), <b>users</b> ({@link UserResolver}: lookup, history, fallback), <b>candidates</b>
 * ({@link CandidateSearches}: every user's candidates in one multi-search), <b>ranking</b> ({@link Ranker}: score,
 * order and diversify, on a search thread) and <b>sources</b> ({@link ItemSources}: the returned items' sources). A
 * run that fails because the cluster changed under it runs again from the plan ({@link RetryPolicy}).
 */
public final class RecommendService {
    /** Most items one user may ask for. */
    public static final Setting<Integer> MAX_K = Setting.intSetting(
        "recommender.recommend.max_k",
        1000,
        1,
        10_000,
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );
    /** Most users one request may name. */
    public static final Setting<Integer> MAX_USERS = Setting.intSetting(
        "recommender.recommend.max_users",
        100,
        1,
        10_000,
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );

    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;
    private final ThreadPool threadPool;
    private final ModelStoreService store;
    private final RecommenderStats stats;
    private final UserResolver users;
    private final ItemSources sources;
    private final Client client;
    private final RescorerServices rescorerServices;
    private final NamedXContentRegistry xContentRegistry;
    private final NamedWriteableRegistry writeableRegistry;
    private volatile int maxK;
    private volatile int maxUsers;

    /** Wired by the plugin; the registries read the queries the request's filter and candidate query rewrite to. */
    public RecommendService(
        Client client,
        ClusterService clusterService,
        IndexNameExpressionResolver resolver,
        ThreadPool threadPool,
        ModelStoreService store,
        RescorerServices rescorerServices,
        RecommenderStats stats,
        NamedXContentRegistry xContentRegistry,
        NamedWriteableRegistry writeableRegistry
    ) {
        this.client = client;
        this.xContentRegistry = xContentRegistry;
        this.writeableRegistry = writeableRegistry;
        this.rescorerServices = rescorerServices;
        this.clusterService = clusterService;
        this.resolver = resolver;
        this.threadPool = threadPool;
        this.store = store;
        this.stats = stats;
        this.users = new UserResolver(client, rescorerServices.userServices());
        this.sources = new ItemSources(client);
        this.maxK = MAX_K.get(clusterService.getSettings());
        this.maxUsers = MAX_USERS.get(clusterService.getSettings());
        clusterService.getClusterSettings().addSettingsUpdateConsumer(MAX_K, v -> maxK = v);
        clusterService.getClusterSettings().addSettingsUpdateConsumer(MAX_USERS, v -> maxUsers = v);
    }

    /**
     * Runs the query over {@code indices}; every failure reaches the listener (400 for bad input, 404 for missing
     * users, 503 when the cluster kept changing under it). Once {@code task} is cancelled (the client went away, or
     * {@code _tasks/_cancel}) the request stops before its next stage, its candidate searches are cancelled with it
     * (they are its children), and it is not tried again.
     */
    public void recommend(CancellableTask task, String[] indices, IndicesOptions indicesOptions, RecommendQuery query,
        ActionListener<Recommendations> listener) {
        long start = System.nanoTime();
        ActionListener<Recommendations> counted = ActionListener.wrap(response -> {
            stats.recommend(query.users().size(), System.nanoTime() - start);
            listener.onResponse(response);
        }, e -> {
            stats.recommendError();
            listener.onFailure(ClusterChurn.asUnavailable(e));
        });
        attempt(task, indices, indicesOptions, query, start, 0, counted);
    }

    /**
     * Run {@code run} (from 0) of the stages. A run pins the model version it resolved; a shard on a node that has
     * not compiled that version reads the store, and if the model was replaced twice meanwhile it refuses with 409
     * rather than score with another version. The request then simply runs again with the new version, so replacing
     * a model under load fails no request and no response mixes two versions.
     */
    private void attempt(
        CancellableTask task,
        String[] indices,
        IndicesOptions options,
        RecommendQuery query,
        long start,
        int run,
        ActionListener<Recommendations> listener
    ) {
        if (task.isCancelled()) {
            listener.onFailure(new TaskCancelledException("_recommend was cancelled: " + task.getReasonCancelled()));
            return;
        }
        ActionListener<Recommendations> retrying = run + 1 >= RetryPolicy.ATTEMPTS ? listener : ActionListener.wrap(listener::onResponse, e -> {
            if (RetryPolicy.retryable(e) && task.isCancelled() == false) {
                stats.recommendRetry();
                // a moment for the cluster to move on (a node's shards to fail over, a model write to settle)
                threadPool.schedule(
                    () -> attempt(task, indices, options, query, start, run + 1, listener),
                    TimeValue.timeValueMillis(RetryPolicy.delayMillis(run)),
                    ThreadPool.Names.GENERIC
                );
            } else {
                listener.onFailure(e);
            }
        });
        Map<String, Long> profile = new LinkedHashMap<>();
        StepListener<RecommendPlan> planned = new StepListener<>();
        StepListener<List<ResolvedUser>> resolved = new StepListener<>();
        StepListener<MultiSearchResponse> searched = new StepListener<>();
        StepListener<List<UserRanking>> ranked = new StepListener<>();
        StepListener<List<UserRanking>> withSources = new StepListener<>();

        // what the users' exclusions and the items' sources hold, reserved as they are made or arrive, held until the
        // response has been sent or the run failed
        HeldMemory exclusionsHeld = new HeldMemory(store::reserve, ResolvedUser.EXCLUSIONS_HELD);
        HeldMemory sourcesHeld = new HeldMemory(store::reserve, ItemSources.HELD);
        HeldMemory explanationsHeld = new HeldMemory(store::reserve, Ranker.EXPLANATIONS_HELD);
        ActionListener<Recommendations> answer = ActionListener.runAfter(
            retrying,
            () -> Releasables.close(exclusionsHeld, sourcesHeld, explanationsHeld)
        );
        rewriteQueries(task, query, ActionListener.wrap(rewritten -> plan(indices, options, rewritten, timed(profile, "model", start, planned)), answer::onFailure));
        planned.whenComplete(plan -> {
            ensureNotCancelled(task);
            users.resolve(plan, exclusionsHeld, timed(profile, "users", System.nanoTime(), resolved));
        }, answer::onFailure);
        // the candidates' vectors this node will hold from the searches' answers until they are ranked, reserved in
        // the plugin's breaker before the searches go out (100 users × 10,000 candidates × 64 dims is 768 MB)
        SetOnce<Releasable> vectors = new SetOnce<>();
        Runnable releaseVectors = () -> Releasables.close(vectors.get() == null ? () -> {} : vectors.get()); // once: a releaseOnce
        resolved.whenComplete(found -> {
            ensureNotCancelled(task);
            planned.result().checkWork(found, rescorerServices.budget()); // the scoring is one uninterruptible call per user
            if (query.explain()) {
                // what the ranking will make for the response, known now: reserved before any search goes out
                explanationsHeld.reserve(Ranker.explanationBytes(found.size(), query.k()));
            }
            MultiSearchRequest searches = CandidateSearches.build(planned.result(), found, rescorerServices);
            // children of this task: cancelling it cancels them
            searches.setParentTask(clusterService.localNode().getId(), task.getId());
            long bytes = CandidateSearches.vectorBytes(searches, query.field(), planned.result().field().dims());
            vectors.set(store.reserve(bytes, "_recommend candidates' vectors"));
            try {
                client.multiSearch(searches, timed(profile, "candidates", System.nanoTime(), searched));
            } catch (RuntimeException e) {
                releaseVectors.run();
                throw e;
            }
        }, answer::onFailure);
        searched.whenComplete(searches -> threadPool.executor(ThreadPool.Names.SEARCH).execute(new AbstractRunnable() {
            @Override
            protected void doRun() throws Exception {
                ensureNotCancelled(task);
                Ranker ranker = new Ranker(planned.result());
                List<UserRanking> rankings = ranker.rank(resolved.result(), searches.getResponses());
                profile.put("scoring", ranker.scoringNanos());
                profile.put("ranking", ranker.diversityNanos());
                if (ranker.kernel() != null) {
                    stats.recommendBatch(ranker.kernel());
                }
                releaseVectors.run();
                ranked.onResponse(rankings);
            }

            @Override
            public void onFailure(Exception e) {
                releaseVectors.run();
                ranked.onFailure(e);
            }

            @Override
            public void onAfter() {
                releaseVectors.run(); // however it ended: ranked, failed or rejected by the pool
            }
        }), e -> {
            releaseVectors.run();
            answer.onFailure(e);
        });
        ranked.whenComplete(rankings -> {
            ensureNotCancelled(task);
            sources.attach(query, rankings, sourcesHeld, timed(profile, "sources", System.nanoTime(), withSources));
        }, answer::onFailure);
        withSources.whenComplete(
            results -> answer.onResponse(
                new Recommendations(
                    (System.nanoTime() - start) / 1_000_000,
                    planned.result().scoredByInfo(),
                    query.batch(),
                    results,
                    query.profile() ? profile : null
                )
            ),
            answer::onFailure
        );
    }

    /** @throws TaskCancelledException when {@code task} was cancelled: the stage about to start does not */
    private static void ensureNotCancelled(CancellableTask task) {
        if (task.isCancelled()) {
            throw new TaskCancelledException("_recommend was cancelled: " + task.getReasonCancelled());
        }
    }

    /** @return {@code listener}, recording in {@code profile} the nanoseconds from {@code since} to its answer */
    private static <T> ActionListener<T> timed(Map<String, Long> profile, String stage, long since, ActionListener<T> listener) {
        return ActionListener.wrap(value -> {
            profile.put(stage, System.nanoTime() - since);
            listener.onResponse(value);
        }, listener::onFailure);
    }

    /**
     * Rewrites the request's filter and candidate query once, here, before they go into every user's candidate
     * search: the lookups they hold ({@code embedding_knn} with a stored user or a history) then run once per request,
     * within one search's budget ({@code UserServices}), not once per user of a batch — 100 users and a filter of
     * one 100,000-item history were 100 × 100,000 reads. What they rewrite to (a resolved vector) is what each
     * candidate search's own rewrite would have made.
     */
    private void rewriteQueries(CancellableTask task, RecommendQuery query, ActionListener<RecommendQuery> listener) {
        if (query.filter() == null && query.candidateQuery() == null) {
            listener.onResponse(query);
            return;
        }
        // one context for both: one budget of lookups for the request; its reads are the task's children, so a
        // cancelled request cancels them
        Client children = new ParentTaskAssigningClient(client, clusterService.localNode(), task);
        QueryRewriteContext context = new BaseQueryRewriteContext(xContentRegistry, writeableRegistry, children, System::currentTimeMillis);
        rewrite(query.filter(), context, ActionListener.wrap(filter -> rewrite(query.candidateQuery(), context, ActionListener.map(
            listener,
            candidateQuery -> query.withQueries(candidateQuery, filter)
        )), listener::onFailure));
    }

    private static void rewrite(QueryBuilder query, QueryRewriteContext context, ActionListener<QueryBuilder> listener) {
        if (query == null) {
            listener.onResponse(null);
        } else {
            Rewriteable.rewriteAndFetch(query, context, listener);
        }
    }

    /** The plan stage: limits, indices and field from one cluster state snapshot, then the model pinned. */
    private void plan(String[] indices, IndicesOptions options, RecommendQuery query, ActionListener<RecommendPlan> listener) {
        try {
            checkLimits(query);
            ClusterState state = clusterService.state();
            String[] concrete = resolver.concreteIndexNames(state, options, indices);
            ItemField field = ItemField.resolve(state.metadata(), concrete, query.field());
            if (query.model() == null) {
                listener.onResponse(RecommendPlan.of(query, indices, options, state.metadata(), concrete, field, null));
                return;
            }
            store.pinScoring(query.model(), "[model]", ActionListener.wrap(
                (ModelCache.Entry entry) -> listener.onResponse(RecommendPlan.of(query, indices, options, state.metadata(), concrete, field, entry)),
                // 404 naming the field, as the rescorer and script_score answer for an unknown model
                e -> listener.onFailure(e instanceof ResourceNotFoundException ? new ResourceNotFoundException("[model] " + e.getMessage(), e) : e)
            ));
        } catch (Exception e) {
            listener.onFailure(e);
        }
    }

    private void checkLimits(RecommendQuery request) {
        if (request.k() > maxK) {
            throw new IllegalArgumentException("[k] must be at most " + maxK + " (setting [" + MAX_K.getKey() + "]) but was " + request.k());
        }
        if (request.users().size() > maxUsers) {
            throw new IllegalArgumentException(
                "[users] names " + request.users().size() + " users but at most " + maxUsers + " are allowed (setting [" + MAX_USERS.getKey() + "])"
            );
        }
    }
}
