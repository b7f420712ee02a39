package org.recommender.plugin.query;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

import java.util.Arrays;
import java.util.Comparator;

/** Matches a fixed set of top-level documents with precomputed scores (the result of an exact top-k scan). */
final class ScoredDocsQuery extends Query {
    private final int[] docs;
    private final float[] scores;
    private final Object readerId;

    ScoredDocsQuery(ScoreDoc[] hits, Object readerId) {
        ScoreDoc[] sorted = hits.clone();
        Arrays.sort(sorted, Comparator.comparingInt(h -> h.doc));
        this.docs = new int[sorted.length];
        this.scores = new float[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            docs[i] = sorted[i].doc;
            scores[i] = sorted[i].score;
        }
        this.readerId = readerId;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        if (searcher.getIndexReader().getContext().id() != readerId) {
            throw new IllegalStateException("exact top-k results were computed for another reader");
        }
        return new Weight(this) {
            @Override
            public Explanation explain(LeafReaderContext context, int doc) {
                int i = Arrays.binarySearch(docs, context.docBase + doc);
                return i >= 0
                    ? Explanation.match(boost * scores[i], "exact similarity to the user vector")
                    : Explanation.noMatch("not among the exact top-k");
            }

            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) {
                int lo = lowerBound(context.docBase);
                int hi = lowerBound(context.docBase + context.reader().maxDoc());
                if (lo == hi) {
                    return null;
                }
                Scorer scorer = new FixedScorer(docs, scores, lo, hi, context.docBase, boost);
                return new DefaultScorerSupplier(scorer);
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    /** Walks the precomputed hits of one segment. */
    private static final class FixedScorer extends Scorer {
        private final int[] docs;
        private final float[] scores;
        private final int lo;
        private final int hi;
        private final int docBase;
        private final float boost;
        private int index;

        FixedScorer(int[] docs, float[] scores, int lo, int hi, int docBase, float boost) {
            this.docs = docs;
            this.scores = scores;
            this.lo = lo;
            this.hi = hi;
            this.docBase = docBase;
            this.boost = boost;
            this.index = lo - 1;
        }

        @Override
        public int docID() {
            return index < lo ? -1 : index >= hi ? DocIdSetIterator.NO_MORE_DOCS : docs[index] - docBase;
        }

        @Override
        public float score() {
            return boost * scores[index];
        }

        @Override
        public float getMaxScore(int upTo) {
            return Float.POSITIVE_INFINITY;
        }

        @Override
        public DocIdSetIterator iterator() {
            return new DocIdSetIterator() {
                @Override
                public int docID() {
                    return FixedScorer.this.docID();
                }

                @Override
                public int nextDoc() {
                    index = Math.min(index + 1, hi);
                    return FixedScorer.this.docID();
                }

                @Override
                public int advance(int target) {
                    do {
                        index = Math.min(index + 1, hi);
                    } while (index < hi && docs[index] - docBase < target);
                    return FixedScorer.this.docID();
                }

                @Override
                public long cost() {
                    return hi - lo;
                }
            };
        }
    }

    private int lowerBound(int doc) {
        int i = Arrays.binarySearch(docs, doc);
        return i >= 0 ? i : -i - 1;
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "ScoredDocs[" + docs.length + "]";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && Arrays.equals(docs, ((ScoredDocsQuery) o).docs) && Arrays.equals(scores, ((ScoredDocsQuery) o).scores);
    }

    @Override
    public int hashCode() {
        return 31 * classHash() + Arrays.hashCode(docs) + Arrays.hashCode(scores);
    }
}
