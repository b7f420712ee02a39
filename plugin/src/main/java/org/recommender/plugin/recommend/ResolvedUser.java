package org.recommender.plugin.recommend;

import org.recommender.core.vector.BestScore;

import java.util.List;
import java.util.Set;

/**
 * A user ready to be served: the vector to score with ({@code null} for the fallback strategy and for a
 * {@code best_score} example user, which has its examples instead), how it was found, and the items it must never
 * get.
 *
 * @param id the user document's id, or {@code null} for inline users
 * @param excluded the request's excluded ids and the user's seen items (and an example user's examples), together
 * @param encodedBy the user encoder (id, version, type) that made {@code vector} of a history, as explanations name
 *     it, or {@code null}
 */
record ResolvedUser(String id, Strategy strategy, float[] vector, Set<String> excluded, String encodedBy, BestScore examples) {
    /** What a request's exclusions hold, as a 429 names it. */
    static final String EXCLUSIONS_HELD = "_recommend users' excluded items";

    /**
     * Bytes one excluded id costs this node while the request runs, beside its characters: its entry in the user's
     * excluded set (a linked hash entry and table slot, ~48), its place in the list it came from and in the candidate
     * search's ids query (an array slot and a hash-set entry, ~56), and the string itself (~40 of headers). Estimated
     * from the object layouts of a 64-bit JVM with compressed references; the request's {@code exclude.ids} are
     * counted again for every user, whose set holds each of them.
     */
    static final long BYTES_PER_ID = 144;

    /**
     * @return the bytes {@link #excluded} and the candidate search built from it hold for these ids (an upper bound:
     *     repeated ids count each time), to reserve before they are built
     */
    static long exclusionBytes(RecommendQuery query, List<String> seen) {
        long bytes = 0;
        for (List<String> ids : List.of(query.excludeIds(), seen)) {
            for (String id : ids) {
                bytes += BYTES_PER_ID + 2L * id.length(); // UTF-16 at worst
            }
        }
        return bytes;
    }

    /** A user whose vector no encoder made. */
    ResolvedUser(String id, Strategy strategy, float[] vector, Set<String> excluded) {
        this(id, strategy, vector, excluded, null, null);
    }

    /**
     * @return whether the shards score this user's candidates whatever the plan says: a best-score user has no
     *     vector for a users × items grid, so its candidate search returns its final scores
     */
    boolean scoredByItsSearch() {
        return examples != null;
    }

    /** @return the items never returned to a user who has seen {@code seen}, under {@code query} */
    static Set<String> excluded(RecommendQuery query, List<String> seen) {
        Set<String> ids = new java.util.LinkedHashSet<>(query.excludeIds());
        ids.addAll(seen);
        return ids;
    }
}
