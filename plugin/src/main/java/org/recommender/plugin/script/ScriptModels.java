package org.recommender.plugin.script;

import org.apache.lucene.util.SetOnce;
import org.opensearch.action.support.PlainActionFuture;
import org.opensearch.common.unit.TimeValue;
import org.recommender.core.model.ScoringModel;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.store.ModelCache;
import org.recommender.plugin.store.ModelPin;
import org.recommender.plugin.store.ModelStoreService;

import java.util.Map;

/**
 * Resolves {@code params.model} of a {@code source: model} script to a compiled model, once per shard and request.
 * A search comes with the pin its coordinating node made ({@link ScriptSearches}: {@code params.model_pin}), so every
 * shard scores with that one version, found in this node's cache or loaded into it; a replaced version is still
 * compiled from the copy the store keeps, and one replaced twice since is a 409, as for the rescorer. A query run
 * without the search action ({@code _explain}) has no pin: the shard pins the current version itself through the
 * store's one pinning API ({@link ModelStoreService#pin}).
 */
public final class ScriptModels {
    /** How long a shard waits for the model to be read and compiled on a miss (a search thread waits: scripts build their query synchronously). */
    private static final TimeValue LOAD_WAIT = TimeValue.timeValueSeconds(30);

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
        ModelPin pin = pin((String) id, params.get(ScriptSearches.PIN));
        PlainActionFuture<ModelCache.Entry> future = PlainActionFuture.newFuture();
        if (pin == null) {
            store.get().pin((String) id, future);
        } else {
            store.get().compiledAt(pin, future); // answers at once from this node's cache, else waits for one load
        }
        ScoringModel model = ModelStoreService.requireScoring(future.actionGet(LOAD_WAIT), (String) id, "[params.model]").model();
        if (model.itemDims() != field.dims()) {
            throw new IllegalArgumentException(
                "model [" + id + "] expects item vectors of " + model.itemDims() + " dimensions but field [" + field.name() + "] has " + field.dims()
            );
        }
        return PairScorer.of((String) id, model);
    }

    /** @return the pin {@link ScriptSearches} wrote, or {@code null} when the query came without one */
    private static ModelPin pin(String id, Object pinned) {
        if (pinned == null) {
            return null;
        }
        if (pinned instanceof Map<?, ?> map && map.get("version") instanceof Number version && map.get("checksum") instanceof String checksum) {
            return new ModelPin(id, version.longValue(), checksum);
        }
        throw new IllegalArgumentException("[params." + ScriptSearches.PIN + "] must be {\"version\": <number>, \"checksum\": <string>}, as the plugin writes it");
    }
}
