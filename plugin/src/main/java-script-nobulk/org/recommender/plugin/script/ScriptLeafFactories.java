package org.recommender.plugin.script;

import org.opensearch.script.ScoreScript;

/**
 * What {@code lang: recommender} hands OpenSearch for one shard, on releases without
 * {@code ScoreScript.BulkScoringLeafFactory} (3.5–3.7): the per-document scripts only. The build compiles this file
 * for those releases and its twin in {@code src/main/java-script-bulk} (which adds the bulk scorer) for 3.8 on.
 */
final class ScriptLeafFactories {
    private ScriptLeafFactories() {}

    /** @return the leaf factory OpenSearch calls for {@code factory}'s scripts */
    static ScoreScript.LeafFactory of(VectorScoreScriptFactory factory) {
        return factory;
    }
}
