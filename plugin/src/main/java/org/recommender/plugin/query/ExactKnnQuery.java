package org.recommender.plugin.query;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.EmbeddingValues;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Exact top-k: scores every (filtered, live) document that has a vector and keeps the shard's best {@code k}.
 * Rewrites to a {@link ScoredDocsQuery}, so the scan runs once per shard whatever the collector does after.
 */
final class ExactKnnQuery extends Query {
    private final EmbeddingFieldType field;
    private final float[] target;
    private final VectorSimilarity similarity;
    private final Query filter;
    private final int k;

    ExactKnnQuery(EmbeddingFieldType field, float[] target, VectorSimilarity similarity, Query filter, int k) {
        this.field = field;
        this.target = target;
        this.similarity = similarity;
        this.filter = filter;
        this.k = k;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Weight filterWeight = filter == null
            ? null
            : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
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
        return new ScoredDocsQuery(best.toArray(new ScoreDoc[0]), searcher.getIndexReader().getContext().id());
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
