package org.recommender.plugin.store;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.lease.Releasable;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.core.rest.RestStatus;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.scoring.KernelProvider;
import org.recommender.plugin.stats.RecommenderStats;

import static org.recommender.plugin.store.ModelStoreService.MODEL_MEMORY_LIMIT;

/**
 * Compiles a parsed bundle with the node's kernels, for an upload and for a load alike: the compile's memory is
 * reserved in the plugin's breaker first, and a model that would hold more than
 * {@code recommender.model.memory_limit} once compiled is refused with 429 — or more than this node's
 * {@code recommender.model.cache.size}, where that is the smaller: such a model would be evicted as soon as it was
 * cached, so every request would read and compile it again.
 */
final class ModelCompiler {
    private final KernelProvider kernels;
    private final ModelMemory memory;
    private final RecommenderStats stats;
    private volatile ByteSizeValue memoryLimit;
    private final ByteSizeValue cacheSize;

    /** @param cacheSize this node's {@link ModelCache#CACHE_SIZE}: no compiled model may be larger than the cache */
    ModelCompiler(ClusterService clusterService, KernelProvider kernels, ModelMemory memory, RecommenderStats stats, ByteSizeValue cacheSize) {
        this.cacheSize = cacheSize;
        this.kernels = kernels;
        this.memory = memory;
        this.stats = stats;
        this.memoryLimit = MODEL_MEMORY_LIMIT.get(clusterService.getSettings());
        clusterService.getClusterSettings().addSettingsUpdateConsumer(MODEL_MEMORY_LIMIT, v -> this.memoryLimit = v);
    }

    /**
     * @param consequence what the 429 says follows ("nothing was stored")
     * @return {@code parsed} compiled
     */
    ModelCache.Compiled compile(String id, ModelBundle parsed, String consequence) {
        ModelCache.Compiled compiled;
        try (Releasable compiling = memory.reserve(parsed.compileBytesBound(), "compile model [" + id + "]")) {
            // a user encoder compiles into what turns a history into a user vector; every other type scores items
            compiled = parsed.isEncoder()
                ? new ModelCache.Compiled(null, parsed.compileEncoder())
                : new ModelCache.Compiled(parsed.compile(kernels), null);
        }
        checkMemory(id, compiled, consequence);
        return compiled;
    }

    /**
     * The memory breaker: 429 and a stats count when a compiled model would hold more than the memory limit or the
     * cache, whichever is smaller; the message names that one.
     */
    private void checkMemory(String id, ModelCache.Compiled compiled, String consequence) {
        ByteSizeValue limit = memoryLimit;
        String setting = MODEL_MEMORY_LIMIT.getKey();
        String why = "";
        if (cacheSize.getBytes() < limit.getBytes()) {
            limit = cacheSize;
            setting = ModelCache.CACHE_SIZE.getKey();
            why = " of this node (it could never stay compiled: every request would compile it again)";
        }
        if (compiled.memoryBytes() > limit.getBytes()) {
            stats.modelMemoryBreakerTrip();
            throw new OpenSearchStatusException(
                "model [" + id + "] needs " + compiled.memoryBytes() + " bytes once compiled, more than [" + setting + "] = " + limit + why + "; "
                    + consequence,
                RestStatus.TOO_MANY_REQUESTS
            );
        }
    }
}
