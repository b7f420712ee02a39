package org.recommender.plugin.recommend;

import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchException;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.cluster.ClusterState;
import org.opensearch.index.IndexSettings;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Setting;
import org.opensearch.core.action.ActionListener;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.search.rescore.RescorerBuilder;
import org.recommender.core.model.ScoringModel;
import org.recommender.plugin.query.RecommenderRescorerBuilder;
import org.recommender.plugin.query.RescorerServices;
import org.recommender.plugin.action.recommend.RecommendRequest;
import org.recommender.plugin.action.recommend.RecommendResponse;
import org.recommender.plugin.stats.RecommenderStats;
import org.recommender.plugin.store.ClusterChurn;
import org.recommender.plugin.store.InvalidStoredModelException;
import org.recommender.plugin.store.ModelCache;
import org.recommender.plugin.store.ModelStoreService;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Serves {@code _recommend} on the coordinating node, stage by stage: check limits and the items' field, load the
 * model (pinned to one version for the whole request), resolve users (lookup, history, fallback), find every
 * user's candidates in one multi-search, score, rank and diversify ({@link Ranker}) on a search thread, and read
 * the returned items' sources ({@link ItemSources}).
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
    private volatile int maxK;
    private volatile int maxUsers;

    /** Wired by the plugin. */
    public RecommendService(
        Client client,
        ClusterService clusterService,
        IndexNameExpressionResolver resolver,
        ThreadPool threadPool,
        ModelStoreService store,
        RescorerServices rescorerServices,
        RecommenderStats stats
    ) {
        this.client = client;
        this.rescorerServices = rescorerServices;
        this.clusterService = clusterService;
        this.resolver = resolver;
        this.threadPool = threadPool;
        this.store = store;
        this.stats = stats;
        this.users = new UserResolver(client);
        this.sources = new ItemSources(client);
        this.maxK = MAX_K.get(clusterService.getSettings());
        this.maxUsers = MAX_USERS.get(clusterService.getSettings());
        clusterService.getClusterSettings().addSettingsUpdateConsumer(MAX_K, v -> maxK = v);
        clusterService.getClusterSettings().addSettingsUpdateConsumer(MAX_USERS, v -> maxUsers = v);
    }

    /**
     * How many times a request is run in all when its model was replaced, a shard failed in passing, or a node left
     * while it ran. With the doubling back-off below the last attempt starts about 1.6 s after the first: time for a
     * leaving node's shards to fail over.
     */
    static final int VERSION_CONFLICT_ATTEMPTS = 7;

    private static boolean retryable(Exception e) {
        Throwable cause = ExceptionsHelper.unwrapCause(e);
        if (cause instanceof InvalidStoredModelException) {
            return false; // a broken store document stays broken
        }
        if (ExceptionsHelper.status(e) == RestStatus.CONFLICT || ClusterChurn.isTransient(e)) {
            return true;
        }
        return cause instanceof OpenSearchException oe && oe.getMetadata(Ranker.RETRYABLE) != null;
    }

    /** Runs the request; every failure reaches the listener (400 for bad input, 404 for missing users). */
    public void recommend(RecommendRequest request, ActionListener<RecommendResponse> listener) {
        long start = System.nanoTime();
        ActionListener<RecommendResponse> counted = ActionListener.wrap(response -> {
            stats.recommend(request.users().size(), System.nanoTime() - start);
            listener.onResponse(response);
        }, e -> {
            stats.recommendError();
            listener.onFailure(ClusterChurn.asUnavailable(e));
        });
        attempt(request, start, VERSION_CONFLICT_ATTEMPTS, counted);
    }

    /**
     * One run of the pipeline. A request pins the model version it resolved; a shard on a node that has not
     * compiled that version yet reads the store, and if the model was replaced meanwhile it refuses with 409
     * rather than score with another version. The request then simply runs again with the new version, so
     * replacing a model under load fails no request and no response mixes two versions.
     */
    private void attempt(RecommendRequest request, long start, int attemptsLeft, ActionListener<RecommendResponse> listener) {
        ActionListener<RecommendResponse> counted = attemptsLeft <= 1 ? listener : ActionListener.wrap(listener::onResponse, e -> {
            if (retryable(e)) {
                stats.recommendRetry();
                // a moment for the cluster to move on (a node's shards to fail over, a model write to settle)
                long delayMillis = 25L << (VERSION_CONFLICT_ATTEMPTS - attemptsLeft); // 25, 50, 100, … ms
                threadPool.schedule(
                    () -> attempt(request, start, attemptsLeft - 1, listener),
                    TimeValue.timeValueMillis(delayMillis),
                    ThreadPool.Names.GENERIC
                );
            } else {
                listener.onFailure(e);
            }
        });
        try {
            checkLimits(request);
            ClusterState state = clusterService.state(); // one snapshot for indices, mapping and shard count
            String[] concrete = resolver.concreteIndexNames(state, request);
            ItemField field = ItemField.resolve(state.metadata(), concrete, request.field());
            int shards = shards(state, concrete);
            int maxResultWindow = maxResultWindow(state, concrete);
            Map<String, Long> profile = new LinkedHashMap<>();
            loadModel(request, field, ActionListener.wrap(model -> {
                profile.put("model", System.nanoTime() - start);
                long usersStart = System.nanoTime();
                users.resolve(request, concrete, ActionListener.wrap(resolved -> {
                    checkUserDims(resolved, model, field);
                    profile.put("users", System.nanoTime() - usersStart);
                    long searchStart = System.nanoTime();
                    boolean onShards = scoreOnShards(request, model, shards, maxResultWindow);
                    Function<float[], RescorerBuilder<?>> rescorer = model == null
                        ? null
                        : vector -> RecommenderRescorerBuilder.modelOnly(
                            rescorerServices, request.field(), model.entry().pin(request.model()), vector, request.numCandidates()
                        );
                    MultiSearchRequest candidates = CandidateSearches.build(request, resolved, onShards, rescorer, shards);
                    client.multiSearch(candidates, ActionListener.wrap(searches -> {
                        profile.put("candidates", System.nanoTime() - searchStart);
                        threadPool.executor(ThreadPool.Names.SEARCH).execute(() -> {
                            try {
                                Ranker ranker = new Ranker(request, field, model == null ? null : model.entry().model(), scoredBy(request, field, model));
                                List<RecommendResponse.UserResult> ranked = ranker.rank(resolved, searches.getResponses(), onShards);
                                profile.put("scoring", ranker.scoringNanos());
                                if (ranker.kernel() != null) {
                                    stats.recommendBatch(ranker.kernel());
                                }
                                profile.put("ranking", ranker.diversityNanos());
                                long sourcesStart = System.nanoTime();
                                sources.attach(request, ranked, ActionListener.wrap(results -> {
                                    profile.put("sources", System.nanoTime() - sourcesStart);
                                    RecommendResponse.ModelInfo info = model == null
                                        ? new RecommendResponse.ModelInfo(null, -1, field.similarity().externalName())
                                        : new RecommendResponse.ModelInfo(request.model(), model.entry().version(), model.entry().model().type());
                                    long tookMillis = (System.nanoTime() - start) / 1_000_000;
                                    counted.onResponse(
                                        new RecommendResponse(tookMillis, info, request.batch(), results, request.profile() ? profile : null)
                                    );
                                }, counted::onFailure));
                            } catch (Exception e) {
                                counted.onFailure(e);
                            }
                        });
                    }, counted::onFailure));
                }, counted::onFailure));
            }, counted::onFailure));
        } catch (Exception e) {
            counted.onFailure(e);
        }
    }

    /**
     * Where candidates are scored. On the shards (the {@code recommender} rescorer, one batched call per shard
     * window) only the best few documents are loaded per user, which is what keeps a single user fast: loading
     * hundreds of documents costs more than all the scoring. A batch of users with knn candidates is scored on
     * this node instead, all users in one batched model call — unless {@code num_candidates} from every shard is more
     * than one page of {@code index.max_result_window}. A candidate query without a model is ranked here by
     * the field's similarity, which needs the vectors anyway.
     */
    private static boolean scoreOnShards(RecommendRequest request, LoadedModel model, int shards, int maxResultWindow) {
        if (request.candidateQuery() != null) {
            return model != null;
        }
        // the coordinating path reads num_candidates from every shard as one page; a page over the indices'
        // index.max_result_window would be refused, while on the shards each returns only its best few
        return request.users().size() == 1 || (long) request.numCandidates() * shards > maxResultWindow;
    }

    private static int shards(ClusterState state, String[] concreteIndices) {
        int shards = 0;
        for (String index : concreteIndices) {
            shards += state.metadata().index(index).getNumberOfShards();
        }
        return shards;
    }

    /** @return the smallest {@code index.max_result_window} of {@code concreteIndices} */
    private static int maxResultWindow(ClusterState state, String[] concreteIndices) {
        int window = Integer.MAX_VALUE;
        for (String index : concreteIndices) {
            window = Math.min(window, IndexSettings.MAX_RESULT_WINDOW_SETTING.get(state.metadata().index(index).getSettings()));
        }
        return window;
    }

    private void checkLimits(RecommendRequest request) {
        if (request.k() > maxK) {
            throw new IllegalArgumentException("[k] must be at most " + maxK + " (setting [" + MAX_K.getKey() + "]) but was " + request.k());
        }
        if (request.users().size() > maxUsers) {
            throw new IllegalArgumentException(
                "[users] names " + request.users().size() + " users but at most " + maxUsers + " are allowed (setting [" + MAX_USERS.getKey() + "])"
            );
        }
    }

    /** The stored model and its pinned version. */
    private record LoadedModel(ModelCache.Entry entry) {}

    private void loadModel(RecommendRequest request, ItemField field, ActionListener<LoadedModel> listener) {
        if (request.model() == null) {
            listener.onResponse(null);
            return;
        }
        store.pin(request.model(), ActionListener.wrap(entry -> {
            ScoringModel model = entry.model();
            if (model.itemDims() != field.dims()) {
                throw new IllegalArgumentException(
                    "[model] [" + request.model() + "] scores items of " + model.itemDims() + " dimensions but [field] [" + request.field() + "] has " + field.dims()
                );
            }
            listener.onResponse(new LoadedModel(entry));
        }, e -> {
            if (e instanceof ResourceNotFoundException) {
                listener.onFailure(new IllegalArgumentException("[model] " + e.getMessage(), e));
            } else {
                listener.onFailure(e);
            }
        }));
    }

    private static void checkUserDims(List<ResolvedUser> resolved, LoadedModel model, ItemField field) {
        int expected = model == null ? field.dims() : model.entry().model().userDims();
        for (ResolvedUser user : resolved) {
            if (user.vector() != null && user.vector().length != expected) {
                throw new IllegalArgumentException(
                    "[user] "
                        + (user.id() == null ? "vector" : "[" + user.id() + "]")
                        + " has "
                        + user.vector().length
                        + " dimensions but "
                        + (model == null ? "the items' field has " : "the model expects ")
                        + expected
                );
            }
        }
    }

    private static String scoredBy(RecommendRequest request, ItemField field, LoadedModel model) {
        return model == null
            ? "field similarity [" + field.similarity().externalName() + "] of [" + request.field() + "]"
            : "model [" + request.model() + "] version [" + model.entry().version() + "]";
    }
}
