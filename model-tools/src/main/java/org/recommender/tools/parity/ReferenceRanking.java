package org.recommender.tools.parity;

import org.recommender.core.rank.TopK;
import org.recommender.tools.cluster.PluginSurfaces.Surface;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The offline top k each surface should return, following the steps the surface takes: the endpoint keeps the
 * {@code reach} items nearest to the user on the field (an exact candidate search) and ranks those by the model;
 * the script ranks every item; the rescorer ranks the window of a {@code match_all} search, which is every item only
 * when the window covers the catalog (otherwise which items it holds is up to the shards, and only scores compare);
 * an endpoint whose candidates come from {@code match_all} instead of kNN is held to what the rescorer is.
 */
public final class ReferenceRanking {
    private final OfflineCatalog items;
    private final String similarity;
    private final int k;
    private final int reach;
    private final boolean knnCandidates;

    /**
     * @param items the catalog
     * @param similarity the items field's similarity, as in the manifest
     * @param k items per user
     * @param reach endpoint candidates and rescore window
     * @param knnCandidates whether the endpoint's candidates are the user's nearest items (else a {@code match_all} window)
     */
    public ReferenceRanking(OfflineCatalog items, String similarity, int k, int reach, boolean knnCandidates) {
        this.items = items;
        this.similarity = similarity;
        this.k = k;
        this.reach = reach;
        this.knnCandidates = knnCandidates;
    }

    /**
     * What a surface should return for one user.
     *
     * @param top catalog positions of the expected top k, best first
     * @param eligible the positions the surface may return at all (its candidates), or {@code null} for every item
     */
    public record Expected(int[] top, boolean[] eligible) {
        /** @return whether the surface may return the item at {@code position} */
        public boolean allows(int position) {
            return eligible == null || eligible[position];
        }
    }

    /**
     * What each of {@code surfaces} should return for one user; the top k over the catalog and the candidate search
     * are each computed once, however many surfaces use them.
     *
     * @param surfaces the surfaces checked
     * @param user the user's offline vector
     * @param scores the model's offline score of every item for this user
     * @return per surface the expected ranking, or {@code null} where only scores can be compared
     */
    public Map<Surface, Expected> expected(Set<Surface> surfaces, float[] user, float[] scores) {
        Map<Surface, Expected> expected = new EnumMap<>(Surface.class);
        Expected everything = new Expected(TopK.of(scores, k), null);
        boolean covered = reach >= items.size();
        for (Surface surface : surfaces) {
            expected.put(surface, switch (surface) {
                case SCRIPT -> everything;
                case RESCORER -> covered ? everything : null;
                case ENDPOINT -> covered ? everything : knnCandidates ? amongCandidates(user, scores) : null;
            });
        }
        return expected;
    }

    private Expected amongCandidates(float[] user, float[] scores) {
        int[] candidates = items.nearest(user, similarity, reach);
        boolean[] eligible = new boolean[items.size()];
        for (int p : candidates) {
            eligible[p] = true;
        }
        return new Expected(TopK.of(candidates, scores, k), eligible);
    }
}
