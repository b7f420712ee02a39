package org.recommender.tools.data;

import java.util.Arrays;

/**
 * Each user's items in time order, oldest first: what sequence models (SASRec, GRU4Rec) learn from and encode. A
 * split that keeps time order attaches one to each part it builds ({@link UserItemMatrix#sequences()}); within a
 * user, an item appears once (the splits hold distinct items, each at its latest time). Immutable.
 */
public final class UserSequences {
    private final int[][] rows;

    private UserSequences(int[][] rows) {
        this.rows = rows;
    }

    /**
     * @param rows per user, item indices oldest first; taken as they are (not copied), so the caller must not change them
     */
    public static UserSequences wrap(int[][] rows) {
        for (int[] row : rows) {
            if (row == null) {
                throw new IllegalArgumentException("every user needs a row (empty for none)");
            }
        }
        return new UserSequences(rows);
    }

    /** @return how many users */
    public int users() {
        return rows.length;
    }

    /** @return how many items {@code user} has in order */
    public int length(int user) {
        return rows[user].length;
    }

    /** @return {@code user}'s items, oldest first (a copy) */
    public int[] of(int user) {
        return rows[user].clone();
    }

    /**
     * @param user the user
     * @param max the most items to return
     * @return the user's newest {@code max} items (all when fewer), oldest first (a copy)
     */
    public int[] latest(int user, int max) {
        int[] row = rows[user];
        return Arrays.copyOfRange(row, Math.max(0, row.length - max), row.length);
    }

    /**
     * @param later items that happened after these (e.g. each user's validation item after their training items)
     * @return per user, these items followed by {@code later}'s that are not already in the row
     */
    public UserSequences then(UserSequences later) {
        if (later.rows.length != rows.length) {
            throw new IllegalArgumentException("user counts differ: " + rows.length + " vs " + later.rows.length);
        }
        int[][] joined = new int[rows.length][];
        for (int u = 0; u < rows.length; u++) {
            int[] row = Arrays.copyOf(rows[u], rows[u].length + later.rows[u].length);
            int n = rows[u].length;
            for (int item : later.rows[u]) {
                if (contains(rows[u], item) == false) {
                    row[n++] = item;
                }
            }
            joined[u] = Arrays.copyOf(row, n);
        }
        return new UserSequences(joined);
    }

    private static boolean contains(int[] row, int item) {
        for (int i : row) {
            if (i == item) {
                return true;
            }
        }
        return false;
    }
}
