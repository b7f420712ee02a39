package org.recommender.plugin.query;

import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.recommender.core.rank.BoundedTopK;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.mapper.EmbeddingValues;
import org.recommender.plugin.mapper.VectorBlock;

import java.io.IOException;

/**
 * Scans segments for an exact top-k in blocks: gathers up to {@link VectorBlock#SIZE} candidate documents (filter
 * matches that are live) into a {@link VectorBlock}, which reads their vectors with one {@link EmbeddingValues#readBlock}
 * call and scores them with one {@link VectorSimilarity.Prepared#raw(float[][], int, float[])} call, and offers them
 * to a {@link BoundedTopK}. Nothing is allocated per document (the scan it replaced allocated a hit object per heap
 * entry and went through a virtual call per document per stage). Scores are bit-identical to scoring one document at a time:
 * the same kernel runs on the same floats, only the loop around it changes. One instance serves one query on one
 * thread.
 */
final class ExactBlockScan {
    private final VectorSimilarity similarity;
    private final VectorBlock.Kernel kernel;
    private final VectorBlock block;
    private final ScanExit exit;

    /**
     * @param dims the field's dimension
     * @param similarity how vectors are compared and raw similarities turned into scores
     * @param target the query vector, {@code dims} long; must not change while this scan is in use
     * @param exit stops the scan when its search is cancelled
     */
    ExactBlockScan(int dims, VectorSimilarity similarity, float[] target, ScanExit exit) {
        this.exit = exit;
        this.similarity = similarity;
        this.kernel = similarity.prepare(target)::raw;
        this.block = new VectorBlock(dims);
    }

    /**
     * Scores every candidate of one segment in the document range {@code [from, to)} that is live and has a vector.
     *
     * @param values the segment's embeddings, not yet positioned
     * @param candidates the segment's candidate documents (all, or a filter's matches), not yet positioned
     * @param from the first document of the range
     * @param to one past the last document of the range
     * @param live the segment's live documents, {@code null} when none is deleted
     * @param docBase the segment's first top-level document id
     * @param top receives (docBase + doc, score) for each scored document
     */
    void scan(EmbeddingValues values, DocIdSetIterator candidates, int from, int to, Bits live, int docBase, BoundedTopK top)
        throws IOException {
        for (int doc = candidates.advance(from); doc < to; doc = candidates.nextDoc()) {
            if (live != null && live.get(doc) == false) {
                continue;
            }
            if (block.add(doc)) {
                scoreBlock(values, docBase, top);
            }
        }
        if (block.size() > 0) {
            scoreBlock(values, docBase, top);
        }
    }

    private void scoreBlock(EmbeddingValues values, int docBase, BoundedTopK top) throws IOException {
        int n = block.score(values, kernel);
        for (int j = 0; j < n; j++) {
            top.offer(docBase + block.docOfRow(j), similarity.toScore(block.score(j)));
        }
        block.clear();
        exit.afterBlock();
    }
}
