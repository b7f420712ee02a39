package org.recommender.tools.parity;

import org.recommender.tools.cluster.PluginSurfaces.Surface;

/**
 * The offline top k each surface should return, following the steps the surface takes: the endpoint keeps the
 * {@code reach} items nearest to the user on the field (an exact candidate search) and ranks those by the model;
 * the script ranks every item; the rescorer ranks the window of a {@code match_all} search, which is every item only
 * when the window covers the catalog (otherwise which items it holds is up to the shards, and only scores compare).
 */
public final class ReferenceRanking {
    private final OfflineCatalog items;
    private final String similarity;
    private final int k;
    private final int reach;

    /**
     * @param items the catalog
     * @param similarity the items field's similarity, as in the manifest
     * @param k items per user
     * @param reach endpoint candidates and rescore window
     */
    public ReferenceRanking(OfflineCatalog items, String similarity, int k, int reach) {
        this.items = items;
        this.similarity = similarity;
        this.k = k;
        this.reach = reach;
    }

    /**
     * @param surface the surface
     * @param user the user's offline vector
     * @param scores the model's offline score of every item for this user
     * @return catalog positions of the expected top k, best first, or {@code null} when only scores can be compared
     */
    public int[] expected(Surface surface, float[] user, float[] scores) {
        boolean everything = reach >= items.size();
        return switch (surface) {
            case SCRIPT -> TopK.of(scores, k);
            case RESCORER -> everything ? TopK.of(scores, k) : null;
            case ENDPOINT -> everything ? TopK.of(scores, k) : TopK.of(scores, items.nearest(user, similarity, reach), k);
        };
    }
}
