package org.recommender.tools.train;

import org.recommender.tools.data.UserSequences;

/**
 * A model that computes each user from the user's ordered history (a sequence encoder): by default from the
 * training sequences it learned on, and from any other history through {@link #given} — the protocols hand it each
 * user's history before the test item (training plus validation items), as serving would.
 */
public interface HistoryModel extends TrainedModel {
    /**
     * @param histories each user's items, oldest first; only the newest {@code max_length} are read
     * @return this model scoring every user from {@code histories}
     */
    TrainedModel given(UserSequences histories);
}
