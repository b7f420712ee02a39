package org.recommender.plugin.query;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.util.Objects;

/**
 * An {@code embedding_knn} query for a user a stored user encoder made of a history: matches and scores exactly as
 * the wrapped query, and its explanation adds which encoder, at which version, made the user vector. The shard sees
 * only the vector; the encoder's label ({@link UserServices.Pinned#label()}) is the coordinating node's pin, so this
 * is the one place a shard can say it. Users without an encoder are never wrapped.
 */
final class EncodedUserQuery extends Query {
    private final Query nearest;
    private final String encodedBy;

    /**
     * @param in the query that finds and scores the items
     * @param encodedBy the encoder's label: id, version, type
     */
    EncodedUserQuery(Query in, String encodedBy) {
        this.nearest = Objects.requireNonNull(in);
        this.encodedBy = Objects.requireNonNull(encodedBy);
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Query rewritten = nearest.rewrite(searcher);
        return rewritten == nearest ? super.rewrite(searcher) : new EncodedUserQuery(rewritten, encodedBy);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        return new FilterWeight(this, searcher.createWeight(nearest, scoreMode, boost)) {
            @Override
            public int count(LeafReaderContext context) throws IOException {
                return in.count(context); // FilterWeight does not forward it: keep the k-NN query's cheap count
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) throws IOException {
                Explanation inner = in.explain(context, doc);
                if (inner.isMatch() == false) {
                    return inner;
                }
                return Explanation.match(inner.getValue(), inner.getDescription() + ", " + UserServices.explain(encodedBy), inner.getDetails());
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        nearest.visit(visitor.getSubVisitor(BooleanClause.Occur.MUST, this));
    }

    @Override
    public String toString(String field) {
        return nearest.toString(field) + " by " + encodedBy;
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && nearest.equals(((EncodedUserQuery) o).nearest) && encodedBy.equals(((EncodedUserQuery) o).encodedBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), nearest, encodedBy);
    }
}
