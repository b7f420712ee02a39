package org.recommender.plugin.recommend;

import java.util.Locale;

/** How a user's items were found. */
public enum Strategy {
    /** The user's stored embedding. */
    EMBEDDING,
    /** A vector given inline in the request. */
    VECTOR,
    /** The mean of the embeddings of items in the user's history (cold start). */
    HISTORY,
    /** Neither vector nor history: items ranked by the request's fallback field. */
    FALLBACK,
    /**
     * Combined from example items ({@code positive} / {@code negative}). Last, because responses carry the
     * ordinal between nodes.
     */
    EXAMPLES;

    /** @return the name the API shows */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
