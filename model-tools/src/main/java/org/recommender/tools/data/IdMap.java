package org.recommender.tools.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the ids found in the data (any string) to dense indices {@code 0..size-1} in order of first appearance, and
 * back. Trainers work on the indices; everything written out uses the original ids.
 */
public final class IdMap {
    /** Returned by {@link #indexOf} for an id that was never added. */
    public static final int ABSENT = -1;

    private final Map<String, Integer> indices = new HashMap<>();
    private final List<String> ids = new ArrayList<>();

    /** @return the index of {@code id}, assigning the next free one if it is new */
    public int intern(String id) {
        Integer index = indices.get(id);
        if (index != null) {
            return index;
        }
        int next = ids.size();
        indices.put(id, next);
        ids.add(id);
        return next;
    }

    /** @return the index of {@code id}, or {@link #ABSENT} */
    public int indexOf(String id) {
        return indices.getOrDefault(id, ABSENT);
    }

    /** @return the original id at {@code index} */
    public String id(int index) {
        return ids.get(index);
    }

    /** @return how many distinct ids there are */
    public int size() {
        return ids.size();
    }
}
