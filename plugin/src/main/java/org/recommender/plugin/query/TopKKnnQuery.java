package org.recommender.plugin.query;

import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;

import java.util.Objects;

/**
 * HNSW search that explores {@code numCandidates} neighbours per segment but keeps only the shard's best {@code k}:
 * more candidates buy recall, {@code k} bounds what each shard returns.
 */
final class TopKKnnQuery extends KnnFloatVectorQuery {
    private final int topK;

    TopKKnnQuery(String field, float[] target, int numCandidates, Query filter, int topK) {
        super(field, target, numCandidates, filter);
        this.topK = topK;
    }

    @Override
    protected TopDocs mergeLeafResults(TopDocs[] perLeafResults) {
        return TopDocs.merge(topK, perLeafResults);
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && ((TopKKnnQuery) o).topK == topK;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), topK);
    }

    @Override
    public String toString(String field) {
        return "TopKKnn[k=" + topK + "](" + super.toString(field) + ")";
    }
}
