package org.recommender.tools.eval;

import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.UserItemMatrix;

import java.util.Arrays;
import java.util.Locale;

/**
 * How to split interactions into training data and held-out test items. Repeated (user, item) pairs collapse to
 * one: these are implicit-feedback splits.
 */
public enum Holdout {
    /**
     * Leave-latest-out: each user's most recent interaction (largest timestamp; on ties, the later line) is held
     * out, together with any earlier interaction with the same item, so the model never sees the test pair. Users
     * with fewer than two distinct items keep everything for training and are not evaluated.
     */
    LATEST,
    /** Nothing held out: train on everything, evaluate nothing. */
    NONE;

    /** @return the name used on the command line */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public static Holdout fromName(String name) {
        for (Holdout h : values()) {
            if (h.externalName().equals(name)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown holdout [" + name + "]; expected one of [latest, none]");
    }

    /** Splits {@code log}. */
    public HoldoutSplit apply(Interactions log) {
        int users = log.users().size();
        int items = log.items().size();
        int[] userOf = new int[log.size()];
        int[] itemOf = new int[log.size()];
        for (int r = 0; r < log.size(); r++) {
            userOf[r] = log.user(r);
            itemOf[r] = log.item(r);
        }
        int[] testItem = new int[users];
        Arrays.fill(testItem, HoldoutSplit.NONE);
        if (this == NONE) {
            return new HoldoutSplit(UserItemMatrix.fromPairs(users, items, userOf, itemOf), testItem, 0);
        }
        UserItemMatrix all = UserItemMatrix.fromPairs(users, items, userOf, itemOf);
        int[] latestRow = new int[users];
        Arrays.fill(latestRow, -1);
        for (int r = 0; r < log.size(); r++) {
            int u = log.user(r);
            if (latestRow[u] < 0 || log.timestamp(r) >= log.timestamp(latestRow[u])) {
                latestRow[u] = r;
            }
        }
        int testUsers = 0;
        for (int u = 0; u < users; u++) {
            if (all.rowLength(u) >= 2) {
                testItem[u] = log.item(latestRow[u]);
                testUsers++;
            }
        }
        int kept = 0;
        for (int r = 0; r < log.size(); r++) {
            if (itemOf[r] != testItem[userOf[r]]) {
                userOf[kept] = userOf[r];
                itemOf[kept] = itemOf[r];
                kept++;
            }
        }
        UserItemMatrix train = UserItemMatrix.fromPairs(users, items, Arrays.copyOf(userOf, kept), Arrays.copyOf(itemOf, kept));
        return new HoldoutSplit(train, testItem, testUsers);
    }
}
