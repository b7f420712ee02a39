package org.recommender.tools.data;

import java.util.Arrays;

/**
 * Which items each user interacted with, as a binary sparse matrix in compressed-row form: the items of user
 * {@code u} are {@code items[start[u] .. start[u+1])}, sorted and distinct. This is what implicit-feedback
 * trainers sample from and what evaluation excludes from a user's ranking.
 */
public final class UserItemMatrix {
    private final int users;
    private final int items;
    private final int[] start;
    private final int[] columns;
    private final int[] rowOfEntry;

    /**
     * @param users number of users (rows)
     * @param items number of items (columns)
     * @param userOfPair user index of each pair
     * @param itemOfPair item index of each pair, same length; duplicates are dropped
     */
    public static UserItemMatrix fromPairs(int users, int items, int[] userOfPair, int[] itemOfPair) {
        int[] counts = new int[users + 1];
        for (int u : userOfPair) {
            counts[u + 1]++;
        }
        for (int u = 0; u < users; u++) {
            counts[u + 1] += counts[u];
        }
        int[] fill = Arrays.copyOf(counts, users);
        int[] cols = new int[userOfPair.length];
        for (int p = 0; p < userOfPair.length; p++) {
            cols[fill[userOfPair[p]]++] = itemOfPair[p];
        }
        // sort each row and squeeze out duplicates in place
        int[] start = new int[users + 1];
        int write = 0;
        for (int u = 0; u < users; u++) {
            int from = counts[u];
            int to = counts[u + 1];
            Arrays.sort(cols, from, to);
            start[u] = write;
            for (int k = from; k < to; k++) {
                if (k == from || cols[k] != cols[k - 1]) {
                    cols[write++] = cols[k];
                }
            }
        }
        start[users] = write;
        return new UserItemMatrix(users, items, start, Arrays.copyOf(cols, write));
    }

    private UserItemMatrix(int users, int items, int[] start, int[] columns) {
        this.users = users;
        this.items = items;
        this.start = start;
        this.columns = columns;
        this.rowOfEntry = new int[columns.length];
        for (int u = 0; u < users; u++) {
            Arrays.fill(rowOfEntry, start[u], start[u + 1], u);
        }
    }

    /** @return number of users (rows) */
    public int users() {
        return users;
    }

    /** @return number of items (columns) */
    public int items() {
        return items;
    }

    /** @return number of distinct (user, item) pairs */
    public int nonZeros() {
        return columns.length;
    }

    /** @return how many distinct items {@code user} interacted with */
    public int rowLength(int user) {
        return start[user + 1] - start[user];
    }

    /** @return whether {@code user} interacted with {@code item} */
    public boolean contains(int user, int item) {
        return Arrays.binarySearch(columns, start[user], start[user + 1], item) >= 0;
    }

    /** @return the user of the {@code entry}-th pair, {@code 0 <= entry < nonZeros()} */
    public int userOfEntry(int entry) {
        return rowOfEntry[entry];
    }

    /** @return the item of the {@code entry}-th pair */
    public int itemOfEntry(int entry) {
        return columns[entry];
    }

    /** @return the sorted items of {@code user} (a copy) */
    public int[] itemsOf(int user) {
        return Arrays.copyOfRange(columns, start[user], start[user + 1]);
    }

    /** @return how many users interacted with each item */
    public int[] itemCounts() {
        int[] counts = new int[items];
        for (int item : columns) {
            counts[item]++;
        }
        return counts;
    }
}
