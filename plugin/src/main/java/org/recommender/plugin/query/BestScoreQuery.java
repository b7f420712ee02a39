package org.recommender.plugin.query;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.recommender.core.rank.BoundedTopK;
import org.recommender.core.vector.BestScore;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.compute.ScoringBudget;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.EmbeddingValues;
import org.recommender.plugin.mapper.VectorBlock;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A shard's best {@code k} items for a {@code best_score} example user ({@link BestScore}): every candidate is scored
 * against every example and the best {@code k} are kept. Which documents are candidates:
 * <ul>
 *   <li>exact (or a field without an HNSW graph): every live document that matches the filter and has a vector;</li>
 *   <li>approximate: the union of the {@code numCandidates} nearest documents (HNSW, filter applied during the
 *       search) to each positive example — an item that scores well is near some positive, so this is where the best
 *       scores are; items near a negative only score low;</li>
 *   <li>a candidate query ({@code _recommend}'s {@code candidates.query}): its {@code numCandidates} best matches
 *       that pass the filter.</li>
 * </ul>
 * Rewrites to a {@link ScoredDocsQuery}, like the exact k-NN scan, so the work runs once per shard. Vectors are read a
 * block at a time ({@link VectorBlock}) and each example scores the block in one call. What the scan holds — the
 * kept {@code k}, the vector block, the candidate query's window of {@code numCandidates}, and for approximate
 * candidates one bit per document of the shard (the union of the searches) — is reserved on the breaker before it
 * is made and released when the rewrite ends.
 */
final class BestScoreQuery extends Query {
    private final EmbeddingFieldType field;
    private final BestScore examples;
    private final VectorSimilarity similarity;
    private final Query filter;
    private final Query candidates;
    private final int k;
    private final int numCandidates;
    private final boolean exact;
    private final CircuitBreaker breaker;
    private final ScoringBudget budget;
    private final Object search;

    /**
     * @param field the items' field, its dimension the examples'
     * @param similarity how items are compared with the examples
     * @param filter every scored document matches it, or {@code null}
     * @param candidates a query whose best {@code numCandidates} matches are the candidates, or {@code null} for
     *     knn candidates
     * @param k how many documents the shard keeps
     * @param numCandidates HNSW candidates per positive example, or the candidate query's window
     * @param exact whether every filtered document is a candidate (always so without a graph)
     * @param breaker accounts what the scan holds while the query rewrites (the node's {@code request} breaker)
     * @param budget bounds the scan's comparisons before it starts (one thread compares each scanned document with
     *     every example), or {@code null} where there is none (a builder made without the node's services)
     * @param search what identifies the shard search to {@code budget} (its {@code QueryShardContext})
     */
    BestScoreQuery(
        EmbeddingFieldType field,
        BestScore examples,
        VectorSimilarity similarity,
        Query filter,
        Query candidates,
        int k,
        int numCandidates,
        boolean exact,
        CircuitBreaker breaker,
        ScoringBudget budget,
        Object search
    ) {
        this.field = field;
        this.examples = examples;
        this.similarity = similarity;
        this.filter = filter;
        this.candidates = candidates;
        this.k = k;
        this.numCandidates = numCandidates;
        this.exact = exact;
        this.breaker = breaker;
        this.budget = budget;
        this.search = search;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        if (k < 1) {
            return new MatchNoDocsQuery("k < 1");
        }
        boolean approximate = candidates == null && exact == false && field.approximate();
        int maxDoc = Math.max(1, searcher.getIndexReader().maxDoc());
        if (budget != null) {
            // the most documents the scan compares with every example: the candidate query's window, each positive's
            // nearest per segment, or every document the filter lets through; charged to the shard search with the
            // rescore windows its thread scores after it
            long documents = candidates != null ? numCandidates
                : approximate ? Math.min(maxDoc, (long) examples.positive().length * numCandidates * searcher.getIndexReader().leaves().size())
                : filter == null ? maxDoc
                : filtered(searcher);
            long each = similarity.work(examples.dims());
            budget.charge(
                search,
                "[user.positive]",
                ScoringBudget.product(documents, examples.count(), each),
                String.format(Locale.ROOT, "comparing up to %,d documents with each of %d examples (%,d multiply-adds each)", documents, examples.count(), each)
            );
        }
        long held = BoundedTopK.bytes(k) + VectorBlock.bytes(examples.dims())
            + (candidates != null ? BoundedTopK.bytes(numCandidates) + (long) numCandidates * Integer.BYTES : 0)
            + (approximate ? (long) FixedBitSet.bits2words(maxDoc) * Long.BYTES : 0);
        breaker.addEstimateBytesAndMaybeBreak(held, "embedding_knn examples scan");
        try {
            return scan(searcher, maxDoc);
        } finally {
            breaker.addWithoutBreaking(-held);
        }
    }

    private Query scan(IndexSearcher searcher, int maxDoc) throws IOException {
        Scan scan = new Scan(searcher.getIndexReader().leaves(), ScanExit.of(searcher));
        if (candidates != null) {
            Query matches = filter == null
                ? candidates
                : new BooleanQuery.Builder().add(candidates, BooleanClause.Occur.MUST).add(filter, BooleanClause.Occur.FILTER).build();
            scan.scoreMatches(searcher, matches, numCandidates);
        } else if (exact || field.approximate() == false) {
            Weight filterWeight = filter == null ? null : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
            for (LeafReaderContext leaf : scan.leaves) {
                DocIdSetIterator docs;
                if (filterWeight == null) {
                    docs = DocIdSetIterator.all(leaf.reader().maxDoc());
                } else {
                    Scorer scorer = filterWeight.scorer(leaf);
                    if (scorer == null) {
                        continue;
                    }
                    docs = scorer.iterator();
                }
                scan.scoreLeaf(leaf, docs, null);
            }
        } else {
            // one bit per document: a document near two positives is scored once
            FixedBitSet scored = new FixedBitSet(maxDoc);
            for (float[] positive : examples.positive()) {
                if (field.similarity() == VectorSimilarity.COSINE && isZero(positive)) {
                    continue; // no direction, so no nearest neighbours on a cosine graph (Lucene refuses the search)
                }
                Query knn = searcher.rewrite(new KnnFloatVectorQuery(field.name(), positive, numCandidates, filter));
                Weight near = searcher.createWeight(knn, ScoreMode.COMPLETE_NO_SCORES, 1f);
                for (LeafReaderContext leaf : scan.leaves) {
                    Scorer scorer = near.scorer(leaf);
                    if (scorer != null) {
                        scan.scoreLeaf(leaf, scorer.iterator(), scored);
                    }
                }
            }
        }
        return new ScoredDocsQuery(scan.hits(), searcher.getIndexReader().getContext().id());
    }

    /**
     * @return the documents the filter lets through, without running it: each segment's exact count where the index
     *     answers it from its statistics, else its scorer's cost (an estimate, as a bound) — the scan runs the filter
     *     once, after this (counting it by iterating here evaluated it twice)
     */
    private long filtered(IndexSearcher searcher) throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
        long documents = 0;
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            int count = weight.count(leaf);
            if (count >= 0) {
                documents += count;
            } else {
                ScorerSupplier supplier = weight.scorerSupplier(leaf);
                documents += supplier == null ? 0 : Math.min(supplier.cost(), leaf.reader().maxDoc());
            }
        }
        return documents;
    }

    private static boolean isZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }

    /** Scores candidates block by block into the shard's top k; one per rewrite, on one thread. */
    private final class Scan {
        final List<LeafReaderContext> leaves;
        final BoundedTopK top = new BoundedTopK(k);
        final VectorBlock.Kernel scorer = examples.scorer(similarity)::score;
        final VectorBlock block = new VectorBlock(examples.dims());
        final ScanExit exit;

        Scan(List<LeafReaderContext> leaves, ScanExit exit) {
            this.leaves = leaves;
            this.exit = exit;
        }

        /**
         * Scores the live documents {@code candidates} yields in {@code leaf}, skipping (and then marking) those
         * {@code scored} already holds, when given.
         */
        void scoreLeaf(LeafReaderContext leaf, DocIdSetIterator candidates, FixedBitSet scored) throws IOException {
            EmbeddingValues values = field.values(leaf.reader());
            Bits live = leaf.reader().getLiveDocs();
            for (int doc = candidates.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = candidates.nextDoc()) {
                if (live != null && live.get(doc) == false) {
                    continue;
                }
                if (scored != null) {
                    if (scored.getAndSet(leaf.docBase + doc)) {
                        continue;
                    }
                }
                if (block.add(doc)) {
                    scoreBlock(values, leaf.docBase);
                }
            }
            if (block.size() > 0) {
                scoreBlock(values, leaf.docBase);
            }
        }

        /** Scores the best {@code window} live matches of {@code query} (by its own score). */
        void scoreMatches(IndexSearcher searcher, Query query, int window) throws IOException {
            Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE, 1f);
            BoundedTopK best = new BoundedTopK(window);
            for (LeafReaderContext leaf : leaves) {
                Scorer matches = weight.scorer(leaf);
                if (matches == null) {
                    continue;
                }
                Bits live = leaf.reader().getLiveDocs();
                DocIdSetIterator it = matches.iterator();
                for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        best.offer(leaf.docBase + doc, matches.score());
                    }
                }
            }
            int[] kept = new int[best.size()];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = best.id(i);
            }
            Arrays.sort(kept);
            int from = 0;
            for (LeafReaderContext leaf : leaves) {
                int to = from;
                int end = leaf.docBase + leaf.reader().maxDoc();
                while (to < kept.length && kept[to] < end) {
                    to++;
                }
                if (to > from) {
                    scoreLeaf(leaf, new SortedDocs(kept, from, to, leaf.docBase), null);
                }
                from = to;
            }
        }

        private void scoreBlock(EmbeddingValues values, int docBase) throws IOException {
            int n = block.score(values, scorer);
            for (int j = 0; j < n; j++) {
                top.offer(docBase + block.docOfRow(j), block.score(j));
            }
            block.clear();
            exit.afterBlock();
        }

        ScoreDoc[] hits() {
            ScoreDoc[] hits = new ScoreDoc[top.size()];
            for (int i = 0; i < hits.length; i++) {
                hits[i] = new ScoreDoc(top.id(i), top.score(i));
            }
            return hits;
        }
    }

    /** Segment-local ids from a sorted slice of top-level ids. */
    private static final class SortedDocs extends DocIdSetIterator {
        private final int[] ids;
        private final int from;
        private final int to;
        private final int docBase;
        private int index;

        SortedDocs(int[] ids, int from, int to, int docBase) {
            this.ids = ids;
            this.from = from;
            this.to = to;
            this.docBase = docBase;
            this.index = from - 1;
        }

        @Override
        public int docID() {
            return index < from ? -1 : index >= to ? NO_MORE_DOCS : ids[index] - docBase;
        }

        @Override
        public int nextDoc() {
            index = Math.min(index + 1, to);
            return docID();
        }

        @Override
        public int advance(int target) throws IOException {
            return slowAdvance(target);
        }

        @Override
        public long cost() {
            return to - from;
        }
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String f) {
        return "BestScore[" + field.name() + ", k=" + k + ", " + examples.positive().length + " positive, " + examples.negative().length
            + " negative, " + similarity.externalName() + (exact ? ", exact" : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (sameClassAs(o) == false) {
            return false;
        }
        BestScoreQuery other = (BestScoreQuery) o;
        return field.name().equals(other.field.name())
            && examples == other.examples
            && similarity == other.similarity
            && Objects.equals(filter, other.filter)
            && Objects.equals(candidates, other.candidates)
            && k == other.k
            && numCandidates == other.numCandidates
            && exact == other.exact;
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), field.name(), System.identityHashCode(examples), similarity, filter, candidates, k, numCandidates, exact);
    }
}
