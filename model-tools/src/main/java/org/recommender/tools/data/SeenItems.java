package org.recommender.tools.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Each user's distinct items from an interaction log, as the plugin's {@code exclude.seen_field} reads them: the
 * original item ids, sorted as strings. A user with more than {@code maxPerUser} distinct items keeps the
 * {@code maxPerUser} most recently interacted with (by timestamp; on equal times the later line counts as later),
 * so that user documents stay bounded.
 */
public final class SeenItems {
    /** The default of {@code --max-seen}. */
    public static final int DEFAULT_MAX = 10_000;

    private final IdMap users;
    /** Item ids in string order. */
    private final String[] itemsSorted;
    /** Per user index: positions in {@link #itemsSorted}, ascending; empty for none. */
    private final int[][] perUser;
    private final int cappedUsers;
    private final long total;

    private SeenItems(IdMap users, String[] itemsSorted, int[][] perUser, int cappedUsers, long total) {
        this.users = users;
        this.itemsSorted = itemsSorted;
        this.perUser = perUser;
        this.cappedUsers = cappedUsers;
        this.total = total;
    }

    /**
     * @param maxPerUser the most items kept per user, at least 1
     * @throws IllegalArgumentException when {@code maxPerUser} is below 1
     */
    public static SeenItems of(Interactions log, int maxPerUser) {
        if (maxPerUser < 1) {
            throw new IllegalArgumentException("--max-seen must be at least 1 but was " + maxPerUser);
        }
        int userCount = log.users().size();
        int itemCount = log.items().size();
        int n = log.size();

        // every user's rows, in file order (counting sort by user)
        int[] start = new int[userCount + 1];
        for (int r = 0; r < n; r++) {
            start[log.user(r) + 1]++;
        }
        for (int u = 0; u < userCount; u++) {
            start[u + 1] += start[u];
        }
        int[] rows = new int[n];
        int[] fill = Arrays.copyOf(start, userCount);
        for (int r = 0; r < n; r++) {
            rows[fill[log.user(r)]++] = r;
        }

        // items in string order: rank[item index] = position in sorted
        String[] sorted = new String[itemCount];
        for (int i = 0; i < itemCount; i++) {
            sorted[i] = log.items().id(i);
        }
        Arrays.sort(sorted);
        int[] rank = new int[itemCount];
        for (int i = 0; i < itemCount; i++) {
            rank[i] = Arrays.binarySearch(sorted, log.items().id(i));
        }

        int[] markedBy = new int[itemCount];
        Arrays.fill(markedBy, -1);
        int[][] perUser = new int[userCount][];
        int[] kept = new int[Math.min(maxPerUser, Math.max(itemCount, 1))];
        int capped = 0;
        long total = 0;
        for (int u = 0; u < userCount; u++) {
            int from = start[u];
            int to = start[u + 1];
            sortByTime(log, rows, from, to);
            int size = 0;
            for (int k = to - 1; k >= from; k--) { // latest first
                int item = log.item(rows[k]);
                if (markedBy[item] == u) {
                    continue;
                }
                if (size == maxPerUser) {
                    capped++; // one more distinct, older item: this user was cut
                    break;
                }
                markedBy[item] = u;
                kept[size++] = rank[item];
            }
            int[] mine = Arrays.copyOf(kept, size);
            Arrays.sort(mine);
            perUser[u] = mine;
            total += size;
        }
        return new SeenItems(log.users(), sorted, perUser, capped, total);
    }

    /** Orders {@code rows[from, to)} (in file order) by timestamp, keeping file order on ties. */
    private static void sortByTime(Interactions log, int[] rows, int from, int to) {
        boolean ordered = true;
        for (int k = from + 1; k < to && ordered; k++) {
            ordered = log.timestamp(rows[k - 1]) <= log.timestamp(rows[k]);
        }
        if (ordered) {
            return;
        }
        Integer[] boxed = new Integer[to - from];
        for (int k = from; k < to; k++) {
            boxed[k - from] = rows[k];
        }
        Arrays.sort(boxed, Comparator.comparingLong(log::timestamp)); // stable
        for (int k = from; k < to; k++) {
            rows[k] = boxed[k - from];
        }
    }

    /** @return the user's seen item ids, sorted; empty for a user not in the log */
    public List<String> of(String user) {
        int u = users.indexOf(user);
        if (u == IdMap.ABSENT) {
            return List.of();
        }
        int[] mine = perUser[u];
        List<String> ids = new ArrayList<>(mine.length);
        for (int position : mine) {
            ids.add(itemsSorted[position]);
        }
        return ids;
    }

    /** @return the number of users in the log */
    public int users() {
        return perUser.length;
    }

    /** @return the number of users who had more distinct items than the cap */
    public int cappedUsers() {
        return cappedUsers;
    }

    /** @return the number of (user, item) pairs kept */
    public long total() {
        return total;
    }
}
