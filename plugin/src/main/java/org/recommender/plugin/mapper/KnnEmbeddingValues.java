package org.recommender.plugin.mapper;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;

import java.io.IOException;

/** Reads embeddings stored as Lucene float vectors ({@code index: true}, HNSW-searchable). */
final class KnnEmbeddingValues implements EmbeddingValues {
    private final FloatVectorValues values;
    private final KnnVectorValues.DocIndexIterator iterator;

    KnnEmbeddingValues(FloatVectorValues values) {
        this.values = values;
        this.iterator = values.iterator();
    }

    @Override
    public boolean advanceExact(int doc) throws IOException {
        int current = iterator.docID();
        if (current < doc) {
            current = iterator.advance(doc);
        }
        return current == doc;
    }

    @Override
    public float[] vector() throws IOException {
        return values.vectorValue(iterator.index());
    }
}
