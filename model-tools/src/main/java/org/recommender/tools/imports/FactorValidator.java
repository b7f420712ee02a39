package org.recommender.tools.imports;

import org.recommender.core.vector.EmbeddingValidator;

import java.util.HashMap;
import java.util.Map;

/**
 * Checks the vectors of one side as they arrive: a non-empty id seen once, the same dimension as the first vector,
 * finite values. The reasons match those of {@code EmbeddingReader}, but the location is the source file's, which is
 * the one the user can fix.
 */
public final class FactorValidator {
    // id -> where it was first seen: a repeated id would silently overwrite a document once indexed
    private final Map<String, Location> seen = new HashMap<>();
    private int dims = -1;

    /**
     * @throws ImportFileException when the id or vector cannot be used
     */
    public void check(String id, float[] vector, Location where) throws ImportFileException {
        if (id == null || id.isBlank()) {
            throw new ImportFileException(where, "id must not be empty");
        }
        if (dims < 0) {
            if (vector.length < 1 || vector.length > EmbeddingValidator.MAX_DIMENSIONS) {
                throw new ImportFileException(where, "[vector of id " + id + "] has " + vector.length + " dimensions; expected 1 to "
                    + EmbeddingValidator.MAX_DIMENSIONS);
            }
            dims = vector.length;
        } else if (vector.length != dims) {
            throw new ImportFileException(where, "[vector of id " + id + "] has " + vector.length + " dimensions but the first vector had " + dims);
        }
        for (int i = 0; i < vector.length; i++) {
            if (Float.isFinite(vector[i]) == false) {
                throw new ImportFileException(where, "[vector of id " + id + "] element [" + i + "] is " + vector[i] + "; values must be finite float32");
            }
        }
        Location first = seen.putIfAbsent(id, where);
        if (first != null) {
            throw new ImportFileException(where, "duplicate id [" + id + "], first seen at " + first);
        }
    }

    /** @return the dimension of the vectors seen, or -1 before the first */
    public int dims() {
        return dims;
    }

    /** @return how many vectors passed */
    public int count() {
        return seen.size();
    }
}
