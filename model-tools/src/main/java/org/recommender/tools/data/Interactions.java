package org.recommender.tools.data;

import java.util.Arrays;

/**
 * An interaction log held column-wise (user index, item index, rating, timestamp per row) with the id maps that
 * translate indices back to the original ids. Rows keep the order of the source file, which breaks timestamp ties.
 */
public final class Interactions {
    private final IdMap users;
    private final IdMap items;
    private final int[] userColumn;
    private final int[] itemColumn;
    private final float[] ratingColumn;
    private final long[] timestampColumn;

    private Interactions(Builder b) {
        this.users = b.users;
        this.items = b.items;
        this.userColumn = Arrays.copyOf(b.userColumn, b.size);
        this.itemColumn = Arrays.copyOf(b.itemColumn, b.size);
        this.ratingColumn = Arrays.copyOf(b.ratingColumn, b.size);
        this.timestampColumn = Arrays.copyOf(b.timestampColumn, b.size);
    }

    /** @return the number of rows */
    public int size() {
        return userColumn.length;
    }

    /** @return the user index of row {@code row} */
    public int user(int row) {
        return userColumn[row];
    }

    /** @return the item index of row {@code row} */
    public int item(int row) {
        return itemColumn[row];
    }

    /** @return the rating of row {@code row} (1 where the source has none) */
    public float rating(int row) {
        return ratingColumn[row];
    }

    /** @return the timestamp of row {@code row} (the row number where the source has none) */
    public long timestamp(int row) {
        return timestampColumn[row];
    }

    /** @return the user ids */
    public IdMap users() {
        return users;
    }

    /** @return the item ids */
    public IdMap items() {
        return items;
    }

    /** Collects rows one at a time, interning ids as they come. */
    public static final class Builder {
        private final IdMap users = new IdMap();
        private final IdMap items = new IdMap();
        private int[] userColumn = new int[1024];
        private int[] itemColumn = new int[1024];
        private float[] ratingColumn = new float[1024];
        private long[] timestampColumn = new long[1024];
        private int size;

        /** Appends one row. */
        public Builder add(String user, String item, float rating, long timestamp) {
            if (size == userColumn.length) {
                int capacity = size * 2;
                userColumn = Arrays.copyOf(userColumn, capacity);
                itemColumn = Arrays.copyOf(itemColumn, capacity);
                ratingColumn = Arrays.copyOf(ratingColumn, capacity);
                timestampColumn = Arrays.copyOf(timestampColumn, capacity);
            }
            userColumn[size] = users.intern(user);
            itemColumn[size] = items.intern(item);
            ratingColumn[size] = rating;
            timestampColumn[size] = timestamp;
            size++;
            return this;
        }

        /** @return the rows added so far */
        public int size() {
            return size;
        }

        /** @return an immutable log of the rows added */
        public Interactions build() {
            return new Interactions(this);
        }
    }
}
