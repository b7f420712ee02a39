package org.recommender.tools.eval;

import org.recommender.tools.data.Interactions;

import java.util.ArrayList;
import java.util.List;

/**
 * The NCF protocol's split (He et al. 2017): each user's latest distinct item is the test item and the one before it
 * the validation item (for early stopping; users with fewer than three items give none), the rest train. Users
 * with a single item keep it for training and are not tested. On equal times the later line counts as later. Every
 * part carries its users' items in time order ({@code UserItemMatrix.sequences()}).
 */
public final class LeaveLatestOut {
    /** Splits {@code log}. */
    public Split apply(Interactions log) {
        int users = log.users().size();
        int items = log.items().size();
        List<List<long[]>> rows = UserHistories.of(log);
        RatioSplit.Builder train = new RatioSplit.Builder();
        RatioSplit.Builder validation = new RatioSplit.Builder();
        RatioSplit.Builder test = new RatioSplit.Builder();
        for (int u = 0; u < users; u++) {
            List<long[]> h = new ArrayList<>(rows.get(u));
            h.sort((a, b) -> Long.compare(a[2], b[2])); // stable: ties keep line order
            int n = h.size();
            for (int k = 0; k < n; k++) {
                RatioSplit.Builder target = n >= 2 && k == n - 1 ? test : n >= 3 && k == n - 2 ? validation : train;
                target.add(u, h.get(k));
            }
        }
        // each part was filled in time order per user, so it carries that order for sequence models
        return new Split(train.buildOrdered(users, items), validation.buildOrdered(users, items), test.buildOrdered(users, items));
    }
}
