package org.recommender.core.io;

import java.util.Objects;

/**
 * One line of an embeddings file: the original (external) id of a user or item and its vector.
 *
 * @param id the id as the source data spells it; never empty
 * @param vector the embedding; not copied, so callers must not mutate it after handing it over
 */
public record EmbeddingEntry(String id, float[] vector) {
    /** Rejects a missing or empty id and a missing vector. */
    public EmbeddingEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vector, "vector");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id must not be empty");
        }
    }
}
