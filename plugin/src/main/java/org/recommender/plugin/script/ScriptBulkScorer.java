package org.recommender.plugin.script;

import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.util.Bits;
import org.recommender.plugin.mapper.EmbeddingValues;
import org.recommender.plugin.mapper.VectorBlock;

import java.io.IOException;

/**
 * {@code script_score} over one segment in blocks: the sub-query's matches are gathered into a {@link VectorBlock},
 * scored with one kernel call per block, and only then handed to the collector, in the order the sub-query produced
 * them. This replaces OpenSearch's one {@code ScoreScript.execute} per document (a virtual call, a doc-values read
 * and a score transform each) where the release lets a script engine supply the bulk scorer
 * ({@code ScoreScript.BulkScoringLeafFactory}, OpenSearch 3.8 on).
 *
 * <p>Contract, the same as the per-document script's: every match is collected, in order, with score
 * {@code toScore(raw) × boost}, and a document without a vector with score 0; a negative or NaN score is refused with
 * the message OpenSearch's script scorer uses. Scores are the per-document script's: the same kernel runs on the same
 * floats, and {@code VectorMath} rounds alike whether or not the JIT has compiled either path, so they agree to the
 * last bit ({@code ScriptBulkScorerTests}, and {@code RecommenderScriptTests} against the per-document path on a node).
 * Matches are held back at most one block (at most 64 documents) and always delivered
 * before {@link #score} returns, so a collector sees every window complete.
 */
final class ScriptBulkScorer extends BulkScorer {
    private final BulkScorer matches;
    private final EmbeddingValues values;
    private final PairScorer scorer;
    private final VectorBlock.Kernel kernel;
    private final float boost;
    private final VectorBlock block;

    /**
     * @param matches the sub-query's bulk scorer over the segment
     * @param values the segment's embeddings, not yet positioned
     * @param scorer turns raw kernel outputs into non-negative scores
     * @param kernel scores rows of the field's vectors against the request's vector (raw, before {@code toScore})
     * @param dims the field's dimension
     * @param boost the query's boost, multiplied into every score
     */
    ScriptBulkScorer(BulkScorer matches, EmbeddingValues values, PairScorer scorer, VectorBlock.Kernel kernel, int dims, float boost) {
        this.matches = matches;
        this.values = values;
        this.scorer = scorer;
        this.kernel = kernel;
        this.boost = boost;
        this.block = new VectorBlock(dims);
    }

    @Override
    public int score(LeafCollector collector, Bits acceptDocs, int min, int max) throws IOException {
        Batching batching = new Batching(collector);
        int next = matches.score(batching, acceptDocs, min, max);
        batching.flush();
        return next;
    }

    @Override
    public long cost() {
        return matches.cost();
    }

    /** Collects the sub-query's matches into the block and hands each scored block to the real collector. */
    private final class Batching implements LeafCollector {
        private final LeafCollector in;
        private final BlockScore current = new BlockScore();
        // set on the collector once, before its first document
        private boolean scorerSet;

        Batching(LeafCollector in) {
            this.in = in;
        }

        @Override
        public void setScorer(Scorable subQueryScorer) throws IOException {
            // the script needs no sub-query score (needs_score is false); the collector reads ours
            if (scorerSet == false) {
                in.setScorer(current);
                scorerSet = true;
            }
        }

        @Override
        public void collect(int doc) throws IOException {
            if (block.add(doc)) {
                flush();
            }
        }

        void flush() throws IOException {
            int count = block.size();
            if (count == 0) {
                return;
            }
            if (scorerSet == false) {
                in.setScorer(current);
                scorerSet = true;
            }
            int n = block.score(values, kernel);
            int row = 0;
            for (int i = 0; i < count; i++) {
                float score = 0f;
                if (row < n && block.indexOfRow(row) == i) {
                    score = scorer.toScore(block.score(row++));
                    if (score < 0f || Float.isNaN(score)) {
                        // OpenSearch's per-document script scorer refuses these with this message
                        throw new IllegalArgumentException(
                            "script_score script returned an invalid score [" + score + "] for doc [" + block.doc(i) + "]. Must be a non-negative score!"
                        );
                    }
                }
                current.score = score * boost;
                in.collect(block.doc(i));
            }
            block.clear();
        }
    }

    /** The score of the document being collected. */
    private static final class BlockScore extends Scorable {
        float score;

        @Override
        public float score() {
            return score;
        }
    }
}
