package org.recommender.plugin.query;

import org.apache.lucene.util.SetOnce;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.ScoringModel;
import org.recommender.plugin.compute.ScoringBudget;
import org.recommender.plugin.stats.RecommenderStats;
import org.recommender.plugin.store.ModelStoreService;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node services a rescorer needs, handed to the parser and stream reader a plugin instance registers. Search
 * extensions are registered before node components exist, so the plugin fills this in when it creates them.
 */
public final class RescorerServices {
    private final SetOnce<ModelStoreService> store = new SetOnce<>();
    private final SetOnce<ScoringBudget> budget = new SetOnce<>();
    private final RecommenderStats stats;
    private final UserServices userServices;
    private final Map<String, ScoringModel> similarities = new ConcurrentHashMap<>();

    /** @param stats the node's counters */
    public RescorerServices(RecommenderStats stats) {
        this(stats, new UserServices(stats));
    }

    /**
     * @param stats the node's counters
     * @param userServices the node's user services (encoders for user specs with {@code encoder}, lookup memory, the per-search user budget)
     */
    public RescorerServices(RecommenderStats stats, UserServices userServices) {
        this.stats = stats;
        this.userServices = userServices;
    }

    /** @return the node's user services (encoders, lookup memory, the per-search user budget) */
    public UserServices userServices() {
        return userServices;
    }

    /** Called once from the plugin's component creation. */
    public void init(ModelStoreService store, ScoringBudget budget) {
        this.store.set(store);
        this.budget.set(budget);
    }

    ModelStoreService store() {
        return store.get();
    }

    /** @return the node's limit on one request's model arithmetic */
    public ScoringBudget budget() {
        return budget.get();
    }

    RecommenderStats stats() {
        return stats;
    }

    /** The weightless {@code dot} / {@code cosine} model for {@code dims}, compiled once per node with its kernels. */
    ScoringModel similarity(String source, int dims) {
        return similarities.computeIfAbsent(
            source + ":" + dims,
            key -> (source.equals("cosine") ? ModelBundle.cosine(dims) : ModelBundle.dot(dims)).compile(store().kernels())
        );
    }
}
