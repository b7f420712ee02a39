package org.recommender.tools.data;

import java.util.Arrays;

/**
 * Which items each user interacted with, as a sparse matrix in compressed-row form: the items of user
 * {@code u} are {@code items[start[u] .. start[u+1])}, sorted and distinct, each with a value (a rating, a play
 * count, or 1). Implicit-feedback trainers read it as binary and sample from it; explicit trainers and confidence
 * weighting read the values; evaluation excludes a user's row from their ranking.
 */
public final class UserItemMatrix {
    private final int users;
    private final int items;
    private final int[] start;
    private final int[] columns;
    private final int[] rowOfEntry;
    private final float[] values;
    /** Each user's items in time order, when the split that built this matrix kept it; null otherwise. */
    private final UserSequences sequences;

    /**
     * @param users number of users (rows)
     * @param items number of items (columns)
     * @param userOfPair user index of each pair
     * @param itemOfPair item index of each pair, same length; duplicates are dropped
     */
    public static UserItemMatrix fromPairs(int users, int items, int[] userOfPair, int[] itemOfPair) {
        float[] ones = new float[userOfPair.length];
        Arrays.fill(ones, 1f);
        return fromTriples(users, items, userOfPair, itemOfPair, ones);
    }

    /**
     * @param users number of users (rows)
     * @param items number of items (columns)
     * @param userOfPair user index of each pair
     * @param itemOfPair item index of each pair, same length
     * @param valueOfPair value of each pair, same length; of duplicate pairs the largest value is kept
     */
    public static UserItemMatrix fromTriples(int users, int items, int[] userOfPair, int[] itemOfPair, float[] valueOfPair) {
        int[] counts = new int[users + 1];
        for (int u : userOfPair) {
            counts[u + 1]++;
        }
        for (int u = 0; u < users; u++) {
            counts[u + 1] += counts[u];
        }
        int[] fill = Arrays.copyOf(counts, users);
        // pack (item, value-bits) into one long per pair so that sorting a row sorts both together
        long[] cells = new long[userOfPair.length];
        for (int p = 0; p < userOfPair.length; p++) {
            cells[fill[userOfPair[p]]++] = ((long) itemOfPair[p] << 32) | (Float.floatToRawIntBits(valueOfPair[p]) & 0xFFFFFFFFL);
        }
        int[] cols = new int[cells.length];
        float[] vals = new float[cells.length];
        // sort each row and squeeze out duplicates in place
        int[] start = new int[users + 1];
        int write = 0;
        for (int u = 0; u < users; u++) {
            int from = counts[u];
            int to = counts[u + 1];
            Arrays.sort(cells, from, to);
            start[u] = write;
            for (int k = from; k < to; k++) {
                int item = (int) (cells[k] >>> 32);
                float value = Float.intBitsToFloat((int) cells[k]);
                if (write > start[u] && cols[write - 1] == item) {
                    vals[write - 1] = Math.max(vals[write - 1], value);
                } else {
                    cols[write] = item;
                    vals[write] = value;
                    write++;
                }
            }
        }
        start[users] = write;
        return new UserItemMatrix(users, items, start, Arrays.copyOf(cols, write), Arrays.copyOf(vals, write), null, null);
    }

    private UserItemMatrix(int users, int items, int[] start, int[] columns, float[] values, int[] rowOfEntry, UserSequences sequences) {
        this.users = users;
        this.items = items;
        this.start = start;
        this.columns = columns;
        this.values = values;
        this.sequences = sequences;
        if (rowOfEntry == null) {
            rowOfEntry = new int[columns.length];
            for (int u = 0; u < users; u++) {
                Arrays.fill(rowOfEntry, start[u], start[u + 1], u);
            }
        }
        this.rowOfEntry = rowOfEntry;
    }

    /**
     * @param order each user's items of this matrix in time order, oldest first
     * @return the same pairs (shared, not copied) carrying that order
     * @throws IllegalArgumentException when a user's order does not hold exactly the user's items
     */
    public UserItemMatrix withSequences(UserSequences order) {
        if (order.users() != users) {
            throw new IllegalArgumentException("the order has " + order.users() + " users but the matrix " + users);
        }
        for (int u = 0; u < users; u++) {
            int[] sorted = order.of(u);
            Arrays.sort(sorted);
            if (Arrays.equals(sorted, 0, sorted.length, columns, start[u], start[u + 1]) == false) {
                throw new IllegalArgumentException("the order of user " + u + " does not hold exactly the user's items");
            }
        }
        return new UserItemMatrix(users, items, start, columns, values, rowOfEntry, order);
    }

    /**
     * @return each user's items in time order, oldest first — kept by the splits that order by time (leave-latest-out,
     *     temporal) and by {@link #union} of two ordered matrices; null when the order is unknown (a random split)
     */
    public UserSequences sequences() {
        return sequences;
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

    /** @return how many users interacted with at least one item */
    public int usersWithItems() {
        int n = 0;
        for (int u = 0; u < users; u++) {
            if (start[u + 1] > start[u]) {
                n++;
            }
        }
        return n;
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

    /** @return the value of the {@code entry}-th pair (1 for pairs built without values) */
    public float valueOfEntry(int entry) {
        return values[entry];
    }

    /** @return the index of the first entry of {@code user}; its entries are {@code rowStart(u) .. rowStart(u + 1)} */
    public int rowStart(int user) {
        return start[user];
    }

    /** @return the same pairs and values with users and items swapped: one row per item */
    public UserItemMatrix transpose() {
        int[] u = new int[columns.length];
        for (int e = 0; e < columns.length; e++) {
            u[e] = rowOfEntry[e];
        }
        return fromTriples(items, users, columns.clone(), u, values.clone());
    }

    /** @return the mean of all values, 0 when empty */
    public double meanValue() {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    /**
     * @return the pairs of both matrices (same shape); a pair in both keeps the larger value. When both carry
     *     {@link #sequences()}, so does the union: {@code a}'s order followed by {@code b}'s new items, as when
     *     {@code b} happened later (validation after training)
     */
    public static UserItemMatrix union(UserItemMatrix a, UserItemMatrix b) {
        if (a.users != b.users || a.items != b.items) {
            throw new IllegalArgumentException("shapes differ: " + a.users + "×" + a.items + " vs " + b.users + "×" + b.items);
        }
        int n = a.nonZeros() + b.nonZeros();
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        int k = 0;
        for (UserItemMatrix m : new UserItemMatrix[] { a, b }) {
            for (int e = 0; e < m.nonZeros(); e++, k++) {
                u[k] = m.rowOfEntry[e];
                i[k] = m.columns[e];
                v[k] = m.values[e];
            }
        }
        UserItemMatrix union = fromTriples(a.users, a.items, u, i, v);
        return a.sequences != null && b.sequences != null ? union.withSequences(a.sequences.then(b.sequences)) : union;
    }
}
