package org.recommender.tools.eval;

import org.recommender.tools.data.UserItemMatrix;

/**
 * Training interactions plus at most one held-out item per user.
 *
 * @param train what models may learn from
 * @param testItem the held-out item of each user, or {@link #NONE}
 * @param testUsers how many users have a held-out item
 */
public record HoldoutSplit(UserItemMatrix train, int[] testItem, int testUsers) {
    /** Marks a user without a held-out item. */
    public static final int NONE = -1;
}
