package org.recommender.plugin.query;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.IOSupplier;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.recommender.core.rank.BoundedTopK;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.VectorBlock;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Objects;

/**
 * Exact top-k: scores every (filtered, live) document that has a vector and keeps the shard's best {@code k}.
 * Rewrites to a {@link ScoredDocsQuery}, so the scan runs once per shard whatever the collector does after. The scan
 * reads and scores vectors a block at a time ({@link ExactBlockScan}); scores are those of scoring each document
 * alone, bit for bit. Each segment is cut into ranges of at most {@link #TASK_DOCS} documents, scanned as tasks of
 * the searcher's executor, so under OpenSearch's concurrent segment search (which {@link EmbeddingKnnConcurrency}
 * asks for) a shard's scan runs on several cores even when the shard is one force-merged segment; each task keeps its
 * own top k and the merge ranks in {@link BoundedTopK}'s total order, so the hits do not depend on the cut.
 */
final class ExactKnnQuery extends Query {
    /**
     * Documents per scan task at most: a segment of more is cut into equal ranges, so one large segment is scanned on
     * several cores. Measured with {@code benchmarks/exact-bench.sh} (one 200,000 × 64 segment, 2 cores, concurrent
     * segment search {@code auto}, medians of 40 queries; repeated runs differ by 1–3 ms on this shared machine):
     * 2^15 gave 7–10 ms (four runs) against 11–15 ms for the same scan on one core (mode {@code none}) in the same
     * runs; 2^14 8–11 ms (three runs: level with 2^15 within the noise); 2^16 10–12 ms (then cut into ranges of 2^16
     * and a 3,392-document remainder, which left a core idle: hence equal ranges); 2^13 9.5–12 ms.
     * Each task costs a fork to the pool and a block buffer, nothing per document.
     */
    static final int TASK_DOCS = 1 << 15;

    private final EmbeddingFieldType field;
    private final float[] target;
    private final VectorSimilarity similarity;
    private final Query filter;
    private final int k;
    private final CircuitBreaker breaker;
    private final int taskDocs;

    /**
     * @param breaker accounts what the scan holds while the query rewrites (the node's {@code request} breaker): the
     *     filter's bit set of each cut segment, each range's top k until they are merged, and the vector block of each
     *     range while it is scanned
     */
    ExactKnnQuery(EmbeddingFieldType field, float[] target, VectorSimilarity similarity, Query filter, int k, CircuitBreaker breaker) {
        this(field, target, similarity, filter, k, breaker, TASK_DOCS);
    }

    /** As above with another task size (tests cut small segments with it); it changes no hit and no score. */
    ExactKnnQuery(
        EmbeddingFieldType field, float[] target, VectorSimilarity similarity, Query filter, int k, CircuitBreaker breaker, int taskDocs
    ) {
        if (taskDocs < 1) {
            throw new IllegalArgumentException("taskDocs must be at least 1 but was " + taskDocs);
        }
        this.field = field;
        this.target = target;
        this.similarity = similarity;
        this.filter = filter;
        this.k = k;
        this.breaker = breaker;
        this.taskDocs = taskDocs;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Weight filterWeight = filter == null
            ? null
            : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
        if (k < 1) {
            return new MatchNoDocsQuery("k < 1");
        }
        // one task per range of a segment, run on the searcher's executor: in parallel under concurrent segment search,
        // one after another otherwise; each keeps its own top k, merged below in the one total order, so the result is
        // the same
        List<Callable<BoundedTopK>> tasks = new ArrayList<>();
        BoundedTopK best = new BoundedTopK(k);
        long reserved = 0; // bytes of filter bit sets held until the scan is done
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                // equal ranges of at most taskDocs: the last one is not a remainder that leaves a core idle at the end
                long maxDoc = leaf.reader().maxDoc();
                int ranges = (int) ((maxDoc + taskDocs - 1) / taskDocs);
                if (filterWeight != null && ranges > 1) {
                    long bytes = (long) FixedBitSet.bits2words((int) maxDoc) * Long.BYTES;
                    breaker.addEstimateBytesAndMaybeBreak(bytes, "embedding_knn filter matches of a segment");
                    reserved += bytes;
                }
                IOSupplier<DocIdSetIterator> candidates = candidates(leaf, filterWeight, ranges);
                if (candidates == null) {
                    continue; // the filter matches nothing here
                }
                for (int r = 0; r < ranges; r++) {
                    int start = (int) (maxDoc * r / ranges);
                    int end = (int) (maxDoc * (r + 1) / ranges);
                    tasks.add(() -> scanRange(leaf, candidates.get(), start, end, ScanExit.of(searcher)));
                }
            }
            // each range keeps its own top k until all are merged: with k up to 10,000 and a range per 32,768
            // documents, a shard of 100 million documents would hold 240 MB of them
            long results = tasks.size() * BoundedTopK.bytes(k);
            breaker.addEstimateBytesAndMaybeBreak(results, "embedding_knn top k of each scanned range");
            reserved += results;
            for (BoundedTopK leafBest : searcher.getTaskExecutor().invokeAll(tasks)) {
                for (int i = 0; i < leafBest.size(); i++) {
                    best.offer(leafBest.id(i), leafBest.score(i));
                }
            }
        } finally {
            breaker.addWithoutBreaking(-reserved);
        }
        ScoreDoc[] hits = new ScoreDoc[best.size()];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = new ScoreDoc(best.id(i), best.score(i));
        }
        return new ScoredDocsQuery(hits, searcher.getIndexReader().getContext().id());
    }

    /**
     * @return each range task's own iterator over the segment's candidates, or {@code null} when the filter matches
     *     nothing in it. A filter is evaluated once per segment: inside the one task of a segment that is not cut, into
     *     a bit set its ranges share when it is (so a costly filter is not evaluated once per range; the caller
     *     reserves the set's maxDoc / 8 bytes on the breaker first, as OpenSearch's own per-request memory is)
     */
    private static IOSupplier<DocIdSetIterator> candidates(LeafReaderContext leaf, Weight filterWeight, int ranges) throws IOException {
        int maxDoc = leaf.reader().maxDoc();
        if (filterWeight == null) {
            return () -> DocIdSetIterator.all(maxDoc);
        }
        if (ranges == 1) {
            return () -> {
                Scorer scorer = filterWeight.scorer(leaf);
                return scorer == null ? DocIdSetIterator.empty() : scorer.iterator();
            };
        }
        Scorer scorer = filterWeight.scorer(leaf);
        if (scorer == null) {
            return null;
        }
        // a FixedBitSet, not BitSet.of: its words are exactly the bytes the caller reserved (BitSet.of may pick a
        // sparse set, whose size the reservation would not match)
        FixedBitSet matches = new FixedBitSet(maxDoc);
        matches.or(scorer.iterator());
        long cost = matches.cardinality();
        return () -> new BitSetIterator(matches, cost);
    }

    /**
     * @return the best {@code k} of one segment's candidates in {@code [from, to)}, by top-level document id (its
     *     arrays were reserved on the breaker by the caller); the scan's vector block is reserved while it runs
     */
    private BoundedTopK scanRange(LeafReaderContext leaf, DocIdSetIterator candidates, int from, int to, ScanExit exit) throws IOException {
        long block = VectorBlock.bytes(field.dims());
        breaker.addEstimateBytesAndMaybeBreak(block, "embedding_knn vector block");
        try {
            BoundedTopK best = new BoundedTopK(k);
            new ExactBlockScan(field.dims(), similarity, target, exit)
                .scan(field.values(leaf.reader()), candidates, from, to, leaf.reader().getLiveDocs(), leaf.docBase, best);
            return best;
        } finally {
            breaker.addWithoutBreaking(-block);
        }
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        throw new IllegalStateException("rewrite first");
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String f) {
        return "ExactKnn[" + field.name() + ", k=" + k + ", " + similarity.externalName() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o)
            && field.name().equals(((ExactKnnQuery) o).field.name())
            && Arrays.equals(target, ((ExactKnnQuery) o).target)
            && similarity == ((ExactKnnQuery) o).similarity
            && Objects.equals(filter, ((ExactKnnQuery) o).filter)
            && k == ((ExactKnnQuery) o).k;
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), field.name(), Arrays.hashCode(target), similarity, filter, k);
    }
}
