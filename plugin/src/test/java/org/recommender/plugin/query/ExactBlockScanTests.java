package org.recommender.plugin.query;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.opensearch.core.common.breaker.CircuitBreakingException;
import org.opensearch.core.common.breaker.NoopCircuitBreaker;
import org.opensearch.test.OpenSearchTestCase;
import org.recommender.core.rank.BoundedTopK;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.ReferenceScores;
import org.recommender.plugin.VectorSegments;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.EmbeddingValues;
import org.recommender.plugin.mapper.HnswParameters;
import org.recommender.plugin.mapper.VectorBlock;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The block scan of exact top-k ({@link ExactBlockScan} behind {@link ExactKnnQuery}) against the per-document scan
 * it replaced, on random vectors in both layouts ({@code index: true}: Lucene float vectors; {@code index: false}:
 * little-endian binary doc values), over several segments with documents lacking a vector, deleted documents and a
 * filter: the same hits with bit-identical scores, and scores a double-precision reference agrees with — also with
 * the segments cut into ranges scanned as separate tasks, on the calling thread and on a pool of two.
 */
public class ExactBlockScanTests extends OpenSearchTestCase {
    private static final Comparator<ScoreDoc> RANK = (a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc);

    public void testBlockScanEqualsPerDocumentScanOnBothLayouts() throws Exception {
        for (boolean indexed : new boolean[] { true, false }) {
            for (VectorSimilarity similarity : new VectorSimilarity[] { VectorSimilarity.DOT_PRODUCT, VectorSimilarity.COSINE }) {
                int dims = randomFrom(3, 16, 64, 65, 300, 1024);
                checkLayout(indexed, similarity, dims, true);
                // every document with a vector: index: true segments are then read straight from the vector file
                checkLayout(indexed, similarity, dims, false);
            }
        }
    }

    private void checkLayout(boolean indexed, VectorSimilarity similarity, int dims, boolean sparse) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            checkLayout(indexed, similarity, dims, sparse, pool);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private void checkLayout(boolean indexed, VectorSimilarity similarity, int dims, boolean sparse, ExecutorService pool) throws Exception {
        String what = (indexed ? "index: true" : "index: false") + ", " + similarity + ", d " + dims + (sparse ? ", sparse" : ", dense");
        int docs = between(2 * VectorBlock.SIZE + 1, 3 * VectorBlock.SIZE + 100);
        try (Directory dir = newDirectory()) {
            VectorSegments written = VectorSegments.write(dir, indexed, similarity, dims, docs, sparse);
            List<float[]> vectors = written.vectors;
            List<Boolean> deleted = written.deleted;
            List<Boolean> tagged = written.tagged;
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertTrue(what, reader.leaves().size() > 1);
                IndexSearcher searcher = newSearcher(reader, false, false, false);
                EmbeddingFieldType field = new EmbeddingFieldType("emb", dims, similarity, indexed, HnswParameters.DEFAULT, Map.of());
                for (Query filter : new Query[] { null, new TermQuery(new Term("tag", "a")) }) {
                    for (int k : new int[] { 1, 10, 57, docs + 5 }) {
                        float[] target = VectorSegments.randomVector(dims);
                        ScoreDoc[] block = blockScan(searcher, field, target, similarity, filter, k, ExactKnnQuery.TASK_DOCS);
                        ScoreDoc[] perDoc = perDocumentScan(searcher, field, target, similarity, filter, k);
                        String where = what + ", k " + k + ", filter " + filter;
                        assertSameHits(where, perDoc, block);
                        // segments cut into ranges scanned as separate tasks (ranges inside blocks, across blocks, of one doc)
                        int taskDocs = randomFrom(1, between(2, VectorBlock.SIZE), between(VectorBlock.SIZE + 1, 150));
                        assertSameHits(where + ", tasks of " + taskDocs + " docs", perDoc, blockScan(searcher, field, target, similarity, filter, k, taskDocs));
                        // ... and those tasks run on two threads
                        assertSameHits(where + ", tasks of " + taskDocs + " docs on 2 threads", perDoc,
                            blockScan(new IndexSearcher(reader, pool), field, target, similarity, filter, k, taskDocs));
                        assertAgreesWithReference(where, block, vectors, deleted, tagged, filter != null, target, similarity, k);
                    }
                }
            }
        }
    }

    /**
     * What a scan holds goes through the breaker, reserved before it is made and released when the scan is done: a
     * cut segment's filter matches (one bit set its ranges share), every range's top k until they are merged, and
     * each range's vector block while that range is scanned. A breaker too small for any of them refuses the query
     * at that point and holds nothing after.
     */
    public void testWhatTheScanHoldsGoesThroughTheBreaker() throws Exception {
        int dims = 8;
        int docs = 1_000;
        int k = 10;
        try (Directory dir = newDirectory()) {
            try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
                for (int i = 0; i < docs; i++) {
                    Document doc = new Document();
                    doc.add(new StringField("tag", i % 3 == 0 ? "a" : "b", Field.Store.NO));
                    doc.add(new KnnFloatVectorField("emb", VectorSegments.randomVector(dims), VectorSimilarityFunction.DOT_PRODUCT));
                    writer.addDocument(doc);
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertEquals(1, reader.leaves().size());
                IndexSearcher searcher = newSearcher(reader, false, false, false); // no executor: one range after another
                EmbeddingFieldType field = new EmbeddingFieldType("emb", dims, VectorSimilarity.DOT_PRODUCT, true, HnswParameters.DEFAULT, Map.of());
                Query filter = new TermQuery(new Term("tag", "a"));
                float[] target = VectorSegments.randomVector(dims);
                int ranges = docs / 100;
                // reservations in the order they are made: the bit set, the ranges' top k, then one block at a time
                long bits = (long) FixedBitSet.bits2words(docs) * Long.BYTES;
                long results = ranges * BoundedTopK.bytes(k);
                long block = VectorBlock.bytes(dims);
                assertTrue("a block at 4,096 dimensions stays near 1 MiB", VectorBlock.bytes(4096) < (1 << 20) + (1 << 12));

                for (long limit : new long[] { bits - 1, bits + results - 1, bits + results + block - 1 }) {
                    LimitedBreaker small = new LimitedBreaker(limit);
                    expectThrows(CircuitBreakingException.class, () -> new ExactKnnQuery(field, target, VectorSimilarity.DOT_PRODUCT, filter, k, small, 100).rewrite(searcher));
                    assertEquals("nothing held after a refusal at " + limit, 0, small.getUsed());
                }

                LimitedBreaker enough = new LimitedBreaker(bits + results + block);
                Query rewritten = new ExactKnnQuery(field, target, VectorSimilarity.DOT_PRODUCT, filter, k, enough, 100).rewrite(searcher);
                assertEquals(k, searcher.search(rewritten, k).scoreDocs.length);
                assertEquals("all of it was reserved while the scan ran", bits + results + block, enough.peak);
                assertEquals("and released after", 0, enough.getUsed());

                // a segment that is not cut evaluates its filter inside its one task: no bit set, one range
                LimitedBreaker uncut = new LimitedBreaker(Long.MAX_VALUE);
                new ExactKnnQuery(field, target, VectorSimilarity.DOT_PRODUCT, filter, k, uncut, docs).rewrite(searcher);
                assertEquals(BoundedTopK.bytes(k) + block, uncut.peak);
                assertEquals(0, uncut.getUsed());

                // ranges scanned at once each hold their block: the pool's two threads and the calling thread, which
                // takes ranges too, so never more than three blocks together
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    LimitedBreaker parallel = new LimitedBreaker(Long.MAX_VALUE);
                    new ExactKnnQuery(field, target, VectorSimilarity.DOT_PRODUCT, null, k, parallel, 100).rewrite(new IndexSearcher(reader, pool));
                    assertTrue(parallel.peak + " held", parallel.peak >= results + block && parallel.peak <= results + 3 * block);
                    assertEquals(0, parallel.getUsed());
                } finally {
                    pool.shutdown();
                    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
                }
            }
        }
    }

    /**
     * A scan stops once its search is cancelled: it runs while OpenSearch rewrites the shard's query, where OpenSearch
     * 3.8+ holds the task's cancellation check as the searcher's Lucene timeout (a search thread scanned to the end
     * before, cancelled or not). The check is asked every {@link ScanExit#BLOCKS_PER_CHECK} blocks.
     */
    public void testACancelledSearchStopsItsScan() throws Exception {
        int dims = 4;
        int docs = 64 * ScanExit.BLOCKS_PER_CHECK * 3;
        try (Directory dir = newDirectory()) {
            try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
                for (int i = 0; i < docs; i++) {
                    Document doc = new Document();
                    doc.add(new KnnFloatVectorField("emb", VectorSegments.randomVector(dims), VectorSimilarityFunction.DOT_PRODUCT));
                    writer.addDocument(doc);
                }
                writer.forceMerge(1);
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                EmbeddingFieldType field = new EmbeddingFieldType("emb", dims, VectorSimilarity.DOT_PRODUCT, true, HnswParameters.DEFAULT, Map.of());
                float[] target = VectorSegments.randomVector(dims);
                java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
                IndexSearcher searcher = newSearcher(reader, false, false, false);
                searcher.setTimeout(() -> asked.incrementAndGet() >= 2); // cancelled after the first check
                ExactKnnQuery query = new ExactKnnQuery(field, target, VectorSimilarity.DOT_PRODUCT, null, 10, new LimitedBreaker(Long.MAX_VALUE), docs);
                expectThrows(org.opensearch.core.tasks.TaskCancelledException.class, () -> query.rewrite(searcher));
                assertEquals("stopped at the second check, not at the end of the scan", 2, asked.get());

                searcher.setTimeout(() -> false);
                assertEquals(10, searcher.search(query.rewrite(searcher), 10).scoreDocs.length);
                searcher.setTimeout(null); // releases before 3.8 hold none: the scan runs as before
                assertEquals(10, searcher.search(query.rewrite(searcher), 10).scoreDocs.length);
            }
        }
    }

    /** A breaker with a limit that remembers the most it held. */
    private static final class LimitedBreaker extends NoopCircuitBreaker {
        private final long limit;
        private long used;
        long peak;

        LimitedBreaker(long limit) {
            super("test");
            this.limit = limit;
        }

        @Override
        public synchronized double addEstimateBytesAndMaybeBreak(long bytes, String label) {
            if (used + bytes > limit) {
                throw new CircuitBreakingException("[" + label + "] would be " + (used + bytes) + " bytes", used + bytes, limit, Durability.TRANSIENT);
            }
            used += bytes;
            peak = Math.max(peak, used);
            return used;
        }

        @Override
        public synchronized long addWithoutBreaking(long bytes) {
            used += bytes;
            return used;
        }

        @Override
        public synchronized long getUsed() {
            return used;
        }
    }

    private static void assertSameHits(String where, ScoreDoc[] expected, ScoreDoc[] actual) {
        assertEquals(where, expected.length, actual.length);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(where + " rank " + i, expected[i].doc, actual[i].doc);
            assertEquals(where + " rank " + i, Float.floatToRawIntBits(expected[i].score), Float.floatToRawIntBits(actual[i].score));
        }
    }

    /** Each hit's score is the documented formula in double precision; no eligible document left out ranks clearly higher. */
    private static void assertAgreesWithReference(
        String where, ScoreDoc[] hits, List<float[]> vectors, List<Boolean> deleted, List<Boolean> tagged, boolean filtered,
        float[] target, VectorSimilarity similarity, int k
    ) {
        double[] reference = new double[vectors.size()];
        int eligible = 0;
        for (int doc = 0; doc < vectors.size(); doc++) {
            boolean ok = vectors.get(doc) != null && deleted.get(doc) == false && (filtered == false || tagged.get(doc));
            reference[doc] = ok ? referenceScore(similarity, target, vectors.get(doc)) : Double.NaN;
            eligible += ok ? 1 : 0;
        }
        assertEquals(where, Math.min(k, eligible), hits.length);
        double lowest = Double.POSITIVE_INFINITY;
        boolean[] returned = new boolean[vectors.size()];
        for (ScoreDoc hit : hits) {
            assertFalse(where + " doc " + hit.doc + " is not eligible", Double.isNaN(reference[hit.doc]));
            assertEquals(where + " doc " + hit.doc, reference[hit.doc], hit.score, 1e-5 * Math.max(1, Math.abs(reference[hit.doc])));
            lowest = Math.min(lowest, reference[hit.doc]);
            returned[hit.doc] = true;
        }
        for (int doc = 0; doc < vectors.size(); doc++) {
            if (returned[doc] == false && Double.isNaN(reference[doc]) == false) {
                assertTrue(where + " doc " + doc + " was left out but ranks higher", reference[doc] <= lowest + 1e-5 * Math.max(1, Math.abs(lowest)));
            }
        }
    }

    private static double referenceScore(VectorSimilarity similarity, float[] q, float[] d) {
        return similarity == VectorSimilarity.COSINE ? ReferenceScores.cosine(q, d) : ReferenceScores.dot(q, d);
    }

    private static ScoreDoc[] blockScan(
        IndexSearcher searcher, EmbeddingFieldType field, float[] target, VectorSimilarity similarity, Query filter, int k, int taskDocs
    ) throws Exception {
        Query rewritten = new ExactKnnQuery(field, target, similarity, filter, k, new NoopCircuitBreaker("test"), taskDocs).rewrite(searcher);
        ScoreDoc[] hits = searcher.search(rewritten, Math.max(1, k)).scoreDocs;
        Arrays.sort(hits, RANK);
        return hits;
    }

    /** The exact scan as it was before blocks: one document, one vector, one similarity call, a heap of objects. */
    private static ScoreDoc[] perDocumentScan(IndexSearcher searcher, EmbeddingFieldType field, float[] target, VectorSimilarity similarity, Query filter, int k)
        throws Exception {
        Weight filterWeight = filter == null ? null : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
        PriorityQueue<ScoreDoc> best = new PriorityQueue<>(k, (a, b) -> {
            int byScore = Float.compare(a.score, b.score);
            return byScore != 0 ? byScore : Integer.compare(b.doc, a.doc);
        });
        VectorSimilarity.Prepared query = similarity.prepare(target);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            EmbeddingValues values = field.values(leaf.reader());
            Bits live = leaf.reader().getLiveDocs();
            DocIdSetIterator candidates;
            if (filterWeight != null) {
                Scorer scorer = filterWeight.scorer(leaf);
                if (scorer == null) {
                    continue;
                }
                candidates = scorer.iterator();
            } else {
                candidates = DocIdSetIterator.all(leaf.reader().maxDoc());
            }
            for (int doc = candidates.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = candidates.nextDoc()) {
                if ((live != null && live.get(doc) == false) || values.advanceExact(doc) == false) {
                    continue;
                }
                float score = similarity.toScore(query.raw(values.vector()));
                if (best.size() < k) {
                    best.add(new ScoreDoc(leaf.docBase + doc, score));
                } else if (score > best.peek().score) {
                    best.poll();
                    best.add(new ScoreDoc(leaf.docBase + doc, score));
                }
            }
        }
        ScoreDoc[] hits = best.toArray(new ScoreDoc[0]);
        Arrays.sort(hits, RANK);
        return hits;
    }
}
