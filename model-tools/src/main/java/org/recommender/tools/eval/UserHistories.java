package org.recommender.tools.eval;

import org.recommender.tools.data.Interactions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each user's distinct items in first-seen order, as {@code {item, value bits, time}} rows: a repeated pair keeps
 * its largest value and its latest time (on equal times, the later line). What the splits divide.
 */
final class UserHistories {
    private UserHistories() {}

    static List<List<long[]>> of(Interactions log) {
        int users = log.users().size();
        List<List<long[]>> rows = new ArrayList<>(users);
        List<Map<Integer, long[]>> index = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            rows.add(new ArrayList<>());
            index.add(new HashMap<>());
        }
        for (int r = 0; r < log.size(); r++) {
            int u = log.user(r);
            int item = log.item(r);
            long[] row = index.get(u).get(item);
            if (row == null) {
                row = new long[] { item, Float.floatToRawIntBits(log.rating(r)), log.timestamp(r) };
                index.get(u).put(item, row);
                rows.get(u).add(row);
            } else {
                if (log.rating(r) > Float.intBitsToFloat((int) row[1])) {
                    row[1] = Float.floatToRawIntBits(log.rating(r));
                }
                row[2] = Math.max(row[2], log.timestamp(r));
            }
        }
        return rows;
    }
}
