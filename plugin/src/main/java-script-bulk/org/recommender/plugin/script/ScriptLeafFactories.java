package org.recommender.plugin.script;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.ScoreMode;
import org.opensearch.script.ScoreScript;

import java.io.IOException;

/**
 * What {@code lang: recommender} hands OpenSearch for one shard, on releases with
 * {@code ScoreScript.BulkScoringLeafFactory} (3.8 on): the per-document scripts and, for {@code script_score} without
 * {@code min_score}, the bulk scorer that scores a block of matches per kernel call. The build compiles this file for
 * those releases and its twin in {@code src/main/java-script-nobulk} (per-document scripts only) for older ones.
 */
final class ScriptLeafFactories {
    private ScriptLeafFactories() {}

    /** @return the leaf factory OpenSearch calls for {@code factory}'s scripts */
    static ScoreScript.LeafFactory of(VectorScoreScriptFactory factory) {
        return new Bulk(factory);
    }

    private record Bulk(VectorScoreScriptFactory factory) implements ScoreScript.BulkScoringLeafFactory {
        @Override
        public boolean needs_score() {
            return factory.needs_score();
        }

        @Override
        public ScoreScript newInstance(LeafReaderContext ctx) throws IOException {
            return factory.newInstance(ctx);
        }

        @Override
        public BulkScorer bulkScorer(LeafReaderContext ctx, BulkScorer subQueryBulkScorer, ScoreMode scoreMode, float boost)
            throws IOException {
            return factory.bulkScorer(ctx, subQueryBulkScorer, boost);
        }
    }
}
