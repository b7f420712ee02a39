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
import org.recommender.core.rank.BoundedTopK;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.mapper.EmbeddingFieldType;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Exact top-k: scores every (filtered, live) document that has a vector and keeps the shard's best {@code k}.
 * Rewrites to a {@link ScoredDocsQuery}, so the scan runs once per shard whatever the collector does after. The scan
 * reads and scores vectors a block at a time ({@link ExactBlockScan}); scores are those of scoring each document
 * alone, bit for bit.
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
        if (k < 1) {
            return new MatchNoDocsQuery("k < 1");
        }
        BoundedTopK best = new BoundedTopK(k);
        ExactBlockScan scan = new ExactBlockScan(field.dims(), similarity, target);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
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
            scan.scan(field.values(leaf.reader()), candidates, leaf.reader().getLiveDocs(), leaf.docBase, best);
        }
        ScoreDoc[] hits = new ScoreDoc[best.size()];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = new ScoreDoc(best.id(i), best.score(i));
        }
        return new ScoredDocsQuery(hits, searcher.getIndexReader().getContext().id());
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
