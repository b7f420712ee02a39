package org.recommender.plugin;

import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.action.ActionRequest;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.codec.AdditionalCodecs;
import org.opensearch.plugins.EnginePlugin;
import org.recommender.plugin.codec.EmbeddingCodecs;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.search.deciders.ConcurrentSearchRequestDecider;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.ScriptPlugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.plugins.SystemIndexPlugin;
import org.opensearch.indices.SystemIndexDescriptor;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;
import org.opensearch.script.ScriptContext;
import org.opensearch.script.ScriptEngine;
import org.opensearch.script.ScriptService;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;
import org.recommender.plugin.action.RecommenderStatsAction;
import org.recommender.plugin.action.TransportRecommenderStatsAction;
import org.recommender.plugin.action.model.DeleteModelAction;
import org.recommender.plugin.action.model.GetModelAction;
import org.recommender.plugin.action.model.ListModelsAction;
import org.recommender.plugin.action.model.PutModelAction;
import org.recommender.plugin.action.model.TransportModelActions;
import org.recommender.plugin.action.vectors.ItemVectorsAction;
import org.recommender.plugin.action.vectors.ShardItemVectorsAction;
import org.recommender.plugin.action.vectors.TransportItemVectorsAction;
import org.recommender.plugin.action.vectors.TransportShardItemVectorsAction;
import org.recommender.plugin.action.recommend.RecommendAction;
import org.recommender.plugin.action.recommend.TransportRecommendAction;
import org.recommender.plugin.recommend.RecommendService;
import org.recommender.plugin.rest.RestRecommendAction;
import org.recommender.plugin.query.EmbeddingKnnQueryBuilder;
import org.recommender.plugin.query.RecommenderRescorerBuilder;
import org.recommender.plugin.query.RescorerServices;
import org.recommender.plugin.query.EmbeddingKnnConcurrency;
import org.recommender.plugin.query.UserServices;
import org.recommender.plugin.recommend.CandidateVectors;
import org.recommender.plugin.script.ScriptSearches;
import org.recommender.plugin.rest.RestDeleteModelAction;
import org.recommender.plugin.rest.RestGetModelAction;
import org.recommender.plugin.rest.RestListModelsAction;
import org.recommender.plugin.rest.RestPutModelAction;
import org.opensearch.action.support.ActionFilter;
import org.recommender.plugin.store.ModelCache;
import org.recommender.plugin.store.ModelStoreGuard;
import org.recommender.plugin.store.ModelStoreService;
import org.recommender.plugin.store.ModelMemory;
import org.recommender.plugin.store.StoreAccess;
import org.opensearch.plugins.CircuitBreakerPlugin;
import org.opensearch.indices.breaker.BreakerSettings;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.recommender.plugin.compute.NativeComputeService;
import org.recommender.plugin.compute.ScoringBudget;
import org.recommender.plugin.mapper.EmbeddingFieldMapper;
import org.recommender.plugin.rest.RestRecommenderStatsAction;
import org.recommender.plugin.script.RecommenderScriptEngine;
import org.recommender.plugin.script.ScriptModels;
import org.recommender.plugin.stats.RecommenderStats;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Entry point of the recommender plugin: registers the {@code embedding} field type, the {@code recommender}
 * script engine, the stats endpoint, and starts loading the native compute backend.
 */
public class RecommenderPlugin extends Plugin
    implements
        MapperPlugin,
        ScriptPlugin,
        ActionPlugin,
        SystemIndexPlugin,
        SearchPlugin,
        EnginePlugin,
        CircuitBreakerPlugin {
    private final RecommenderStats stats = new RecommenderStats();
    private final UserServices userServices = new UserServices(stats);
    private final ScriptSearches scriptSearches = new ScriptSearches(userServices);
    private final RescorerServices rescorerServices = new RescorerServices(stats, userServices);
    private final ScriptModels scriptModels = new ScriptModels();
    private final ModelStoreGuard storeGuard = new ModelStoreGuard();
    private final ModelMemory memory = new ModelMemory();
    private volatile ModelStoreService store;

    /** The plugin's child breaker: model uploads, loads and the compiled-model cache. */
    @Override
    public BreakerSettings getCircuitBreaker(Settings settings) {
        return ModelMemory.breakerSettings(settings);
    }

    @Override
    public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
        memory.setBreaker(circuitBreaker);
    }

    /** The {@code recommender} codec, for indices that choose it: per-field HNSW parameters for {@code embedding} fields. */
    @Override
    public Optional<AdditionalCodecs> getAdditionalCodecs(IndexSettings indexSettings) {
        return Optional.of(new EmbeddingCodecs());
    }

    @Override
    public Map<String, Mapper.TypeParser> getMappers() {
        return Map.of(EmbeddingFieldMapper.CONTENT_TYPE, EmbeddingFieldMapper.parser(stats));
    }

    @Override
    public ScriptEngine getScriptEngine(Settings settings, Collection<ScriptContext<?>> contexts) {
        return new RecommenderScriptEngine(stats, scriptModels);
    }

    @Override
    public Collection<Object> createComponents(
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        ResourceWatcherService resourceWatcherService,
        ScriptService scriptService,
        NamedXContentRegistry xContentRegistry,
        Environment environment,
        NodeEnvironment nodeEnvironment,
        NamedWriteableRegistry namedWriteableRegistry,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<RepositoriesService> repositoriesServiceSupplier
    ) {
        NativeComputeService compute = new NativeComputeService(environment.settings(), environment, threadPool, stats.counting(memory.workspaces()));
        ModelCache cache = new ModelCache(ModelCache.CACHE_SIZE.get(environment.settings()), memory);
        StoreAccess access = new StoreAccess(threadPool.getThreadContext());
        ModelStoreService store = new ModelStoreService(client, clusterService, threadPool, cache, stats, access, memory, compute.kernels());
        this.store = store;
        storeGuard.init(access, threadPool.getThreadContext(), clusterService, indexNameExpressionResolver);
        ScoringBudget budget = new ScoringBudget(clusterService);
        rescorerServices.init(store, budget);
        userServices.init(store, budget);
        scriptModels.init(store);
        scriptSearches.init(client, xContentRegistry, store);
        RecommendService recommend = new RecommendService(
            client,
            clusterService,
            indexNameExpressionResolver,
            threadPool,
            store,
            rescorerServices,
            stats,
            xContentRegistry,
            namedWriteableRegistry
        );
        return List.of(compute, stats, cache, store, recommend);
    }

    @Override
    public List<ActionHandler<? extends ActionRequest, ? extends ActionResponse>> getActions() {
        return List.of(
            new ActionHandler<>(RecommenderStatsAction.INSTANCE, TransportRecommenderStatsAction.class),
            new ActionHandler<>(PutModelAction.INSTANCE, TransportModelActions.Put.class),
            new ActionHandler<>(GetModelAction.INSTANCE, TransportModelActions.Get.class),
            new ActionHandler<>(DeleteModelAction.INSTANCE, TransportModelActions.Delete.class),
            new ActionHandler<>(ListModelsAction.INSTANCE, TransportModelActions.List.class),
            new ActionHandler<>(RecommendAction.INSTANCE, TransportRecommendAction.class),
            new ActionHandler<>(ItemVectorsAction.INSTANCE, TransportItemVectorsAction.class),
            new ActionHandler<>(ShardItemVectorsAction.INSTANCE, TransportShardItemVectorsAction.class)
        );
    }

    @Override
    public List<ActionFilter> getActionFilters() {
        return List.of(storeGuard, scriptSearches);
    }

    @Override
    public List<RestHandler> getRestHandlers(
        Settings settings,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster
    ) {
        return List.of(
            new RestRecommenderStatsAction(),
            new RestPutModelAction(() -> store, memory),
            new RestGetModelAction(),
            new RestDeleteModelAction(),
            new RestListModelsAction(),
            new RestRecommendAction()
        );
    }

    @Override
    public List<Setting<?>> getSettings() {
        return List.of(
            NativeComputeService.NATIVE_CACHE_DIR,
            NativeComputeService.NATIVE_THREADS,
            NativeComputeService.COMPUTE_DEVICE,
            ModelCache.CACHE_SIZE,
            ModelStoreService.MAX_MODEL_SIZE,
            ModelStoreService.MODEL_MEMORY_LIMIT,
            NativeComputeService.ND4J_MIN_BATCH,
            RecommendService.MAX_K,
            RecommendService.MAX_USERS,
            ScoringBudget.MAX_WORK
        );
    }

    @Override
    public List<QuerySpec<?>> getQueries() {
        return List.of(
            new QuerySpec<>(
                EmbeddingKnnQueryBuilder.NAME,
                in -> new EmbeddingKnnQueryBuilder(in, userServices),
                parser -> EmbeddingKnnQueryBuilder.fromXContent(parser, userServices)
            )
        );
    }

    @Override
    public Optional<ConcurrentSearchRequestDecider.Factory> getConcurrentSearchRequestDeciderFactory() {
        return Optional.of(new EmbeddingKnnConcurrency.Factory());
    }

    @Override
    public List<SearchExtSpec<?>> getSearchExts() {
        return List.of(new SearchExtSpec<>(CandidateVectors.NAME, CandidateVectors.Ext::new, CandidateVectors.Ext::parse));
    }

    @Override
    public List<FetchSubPhase> getFetchSubPhases(FetchPhaseConstructionContext context) {
        return List.of(new CandidateVectors.Fetch());
    }

    @Override
    public List<RescorerSpec<?>> getRescorers() {
        return List.of(
            new RescorerSpec<>(
                RecommenderRescorerBuilder.NAME,
                in -> new RecommenderRescorerBuilder(in, rescorerServices),
                parser -> RecommenderRescorerBuilder.parse(parser, rescorerServices)
            )
        );
    }

    @Override
    public Collection<SystemIndexDescriptor> getSystemIndexDescriptors(Settings settings) {
        return List.of(new SystemIndexDescriptor(ModelStoreService.INDEX, "recommender model store: one document per model"));
    }
}
