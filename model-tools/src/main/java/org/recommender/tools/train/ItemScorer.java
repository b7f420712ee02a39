package org.recommender.tools.train;

/**
 * Anything that can score every item for a user: a trained model or a baseline. Implementations must allow
 * concurrent calls (with distinct {@code out} arrays): the ranking evaluator ({@code eval/RankingEvaluator}) scores
 * users on several threads.
 */
public interface ItemScorer {
    /**
     * Scores every item for {@code user}; higher means more recommended.
     *
     * @param user the user index
     * @param out receives one score per item index
     */
    void scoreAll(int user, float[] out);

    /** @return the name shown in evaluation tables, e.g. {@code bpr} */
    String name();
}
