package org.recommender.tools.imports;

import org.recommender.core.vector.EmbeddingValidator;

import java.util.HashMap;
import java.util.Map;

/**
 * Checks the vectors of one side as they arrive: a non-empty id seen once, the same dimension as the first vector,
 * and {@link EmbeddingValidator}'s rules for the elements (finite, at most {@link EmbeddingValidator#MAX_MAGNITUDE} in
 * magnitude). The reasons are those of {@code EmbeddingReader} and the plugin, but the location is the source file's,
 * which is the one the user can fix.
 */
public final class FactorValidator {
    // id -> where it was first seen: a repeated id would silently overwrite a document once indexed
    private final Map<String, Location> seen = new HashMap<>();
    private int dims = -1;

    /**
     * @throws ImportFileException when the id or vector cannot be used
     */
    public void check(String id, float[] vector, Location where) throws ImportFileException {
        if (id == null || id.isEmpty()) {
            throw new ImportFileException(where, "id must not be empty");
        }
        String name = "vector of id " + id;
        try {
            // the rules every reader and the plugin apply (dimensions, finite, at most 1e16 in magnitude), said here
            // with the source file's location: the staged file they would otherwise fail in is not the user's
            if (dims < 0) {
                dims = EmbeddingValidator.checkDimensions(name, vector.length);
            } else if (vector.length != dims) {
                throw new ImportFileException(where, "[" + name + "] has " + vector.length + " dimensions but the first vector had " + dims);
            }
            EmbeddingValidator.checkElements(name, vector);
        } catch (IllegalArgumentException e) {
            throw new ImportFileException(where, e.getMessage());
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
