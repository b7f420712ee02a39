package org.recommender.core.model;

import java.util.Locale;

/**
 * Where a {@code dot} or {@code cosine} model finds a per-user or per-item bias. With {@link #LAST_DIMENSION} the
 * vector's last element is the bias, and only the elements before it take part in the similarity — the usual way
 * biased matrix factorization (e.g. SVD with user and item biases) is exported as plain vectors.
 */
public enum BiasSource {
    /** No bias; every dimension takes part in the similarity. */
    NONE,
    /** The last dimension of the vector is the bias. */
    LAST_DIMENSION;

    /** @return the name used in bundles, e.g. {@code last_dimension} */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return 1 when the bias takes a dimension, else 0 */
    int dimensions() {
        return this == LAST_DIMENSION ? 1 : 0;
    }

    /**
     * @param field the header field, for the message
     * @param name the value as written
     * @throws InvalidModelException naming {@code field} and the accepted names
     */
    static BiasSource fromName(String field, String name) {
        for (BiasSource b : values()) {
            if (b.externalName().equals(name)) {
                return b;
            }
        }
        throw new InvalidModelException(field + ": unknown bias source [" + name + "]; expected one of [none, last_dimension]");
    }
}
