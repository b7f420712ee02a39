package org.recommender.plugin.mapper;

import org.recommender.core.vector.EmbeddingValidator;

import java.io.IOException;

/**
 * Checks each vector of a field another plugin wrote (a k-NN {@code knn_vector}) against the bound every
 * {@code embedding} passes at index time ({@link EmbeddingValidator#checkElements}: finite, at most 1e16 in
 * magnitude), so no score over it can be infinite or NaN; a vector outside it fails the request with a 400 naming
 * the field. Our own fields need no such check: their vectors were checked when they were indexed.
 */
final class BoundedEmbeddingValues implements EmbeddingValues {
    private final EmbeddingValues values;
    private final String field;

    BoundedEmbeddingValues(EmbeddingValues values, String field) {
        this.values = values;
        this.field = field;
    }

    @Override
    public boolean advanceExact(int doc) throws IOException {
        return values.advanceExact(doc);
    }

    @Override
    public float[] vector() throws IOException {
        float[] vector = values.vector();
        EmbeddingValidator.checkElements(field, vector);
        return vector;
    }
}
