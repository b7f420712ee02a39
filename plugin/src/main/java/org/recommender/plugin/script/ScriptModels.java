package org.recommender.plugin.script;

import org.apache.lucene.util.SetOnce;
import org.opensearch.action.support.PlainActionFuture;
import org.opensearch.common.unit.TimeValue;
import org.recommender.core.model.ScoringModel;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.store.ModelCache;
import org.recommender.plugin.store.ModelStoreService;

import java.util.Map;

/**
 * Resolves {@code params.model} of a {@code source: model} script to the compiled current version, once per shard
 * and request, through the store's one pinning API ({@link ModelStoreService#pin}): a realtime read of the version
 * from this node's copy of the store, plus a load on first use of a version; replacements and failing-over store
 * copies are retried inside the store. OpenSearch gives scripts no coordinating-node step, so unlike the rescorer
 * and {@code _recommend} each shard pins on its own: a model replaced during one search may score its shards with
 * two versions.
 */
public final class ScriptModels {
    private final SetOnce<ModelStoreService> store = new SetOnce<>();

    /** Called once the node's components exist (script engines are created before them). */
    public void init(ModelStoreService modelStore) {
        store.set(modelStore);
    }

    /** @return the scorer for {@code params.model} over {@code field}, after checking the model's item dimension */
    PairScorer scorer(Map<String, Object> params, EmbeddingFieldType field) {
        Object id = params.get("model");
        if (id instanceof String == false) {
            throw new IllegalArgumentException("[params.model] is required for source [model] and must be a model id");
        }
        PlainActionFuture<ModelCache.Entry> future = PlainActionFuture.newFuture();
        store.get().pin((String) id, future);
        ScoringModel model = ModelStoreService.requireScoring(future.actionGet(TimeValue.timeValueSeconds(30)), (String) id, "[params.model]").model();
        if (model.itemDims() != field.dims()) {
            throw new IllegalArgumentException(
                "model [" + id + "] expects item vectors of " + model.itemDims() + " dimensions but field [" + field.name() + "] has " + field.dims()
            );
        }
        return PairScorer.of((String) id, model);
    }
}
