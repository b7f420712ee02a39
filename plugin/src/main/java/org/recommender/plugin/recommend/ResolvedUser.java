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
     * Bytes one excluded id costs in one user's exclusions, beside the string itself: its entry in the user's excluded
     * set (a linked hash entry, 40) and in the candidate search's ids query (a hash node, 32), the two tables' slots
     * (up to 2.67 a set at the 0.75 load factor, 4 bytes each: up to 21), as much again where G1 stores a large table
     * as a humongous object in a region of its own (up to 21), and its slot in the list it came from (up to 6): 120,
     * rounded up. Measured ({@code ExclusionBytesTests}, the heap after a full collection): 104 bytes an id for ids
     * shared from {@code exclude.ids}, 98–117 beside the strings for a user's own seen items.
     */
    static final long ENTRY_BYTES = 128;

    /**
     * Bytes an id's string takes beside its characters: a 24-byte {@code String} and its array's 16-byte header, and up
     * to 7 bytes of alignment padding (an id of 2 Latin-1 characters takes 48 bytes).
     */
    static final long STRING_BYTES = 48;

    /**
     * @return the bytes the strings of {@code ids} hold (UTF-16 at worst): counted once per request for the request's
     *     {@code exclude.ids}, which every user's set shares, and once per user for its own seen items and examples
     */
    static long stringBytes(List<String> ids) {
        long bytes = 0;
        for (String id : ids) {
            bytes += STRING_BYTES + 2L * id.length();
        }
        return bytes;
    }

    /**
     * @return the bytes {@link #excluded} and the candidate search built from it hold for one user with these own ids
     *     (an upper bound: repeated ids count each time), the shared {@code exclude.ids} strings not included
     */
    static long exclusionBytes(RecommendQuery query, List<String> own) {
        return ENTRY_BYTES * (query.excludeIds().size() + own.size()) + stringBytes(own);
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
