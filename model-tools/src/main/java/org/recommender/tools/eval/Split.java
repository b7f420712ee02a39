package org.recommender.tools.eval;

import org.recommender.tools.data.UserItemMatrix;

/**
 * Interactions divided for one evaluation: models learn from {@code train}, early stopping watches
 * {@code validation}, and the reported numbers come from {@code test}. All three have the same users and items and
 * share no (user, item) pair.
 *
 * @param train what models learn from
 * @param validation held out for choosing the epoch (may be empty)
 * @param test held out for the final numbers
 */
public record Split(UserItemMatrix train, UserItemMatrix validation, UserItemMatrix test) {
    /** @return train and validation together: what a user has "seen" when the test items are ranked */
    public UserItemMatrix seenBeforeTest() {
        return UserItemMatrix.union(train, validation);
    }
}
