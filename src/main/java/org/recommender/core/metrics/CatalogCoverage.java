package org.recommender.core.metrics;

import java.util.BitSet;

/**
 * Catalogue coverage: the share of all items that appear in at least one user's recommendation list. A model that
 * recommends the same hits to everyone covers little of the catalogue. Not thread-safe; one per evaluation.
 */
public final class CatalogCoverage {
    private final int catalogueSize;
    private final BitSet seen;

    /** @param catalogueSize the number of items that could be recommended */
    public CatalogCoverage(int catalogueSize) {
        if (catalogueSize < 1) {
            throw new IllegalArgumentException("catalogueSize must be at least 1 but was " + catalogueSize);
        }
        this.catalogueSize = catalogueSize;
        this.seen = new BitSet(catalogueSize);
    }

    /** Records the first {@code k} items of one list (item indices). */
    public void add(int[] list, int k) {
        for (int i = 0; i < Math.min(k, list.length); i++) {
            seen.set(list[i]);
        }
    }

    /** @return distinct recommended items / catalogue size */
    public double coverage() {
        return (double) seen.cardinality() / catalogueSize;
    }
}
