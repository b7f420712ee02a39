package org.recommender.tools.eval;

import org.junit.jupiter.api.Test;
import org.recommender.tools.data.UserItemMatrix;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HoldoutEvaluatorTest {
    /** Fixed scores per user. */
    private record FixedScores(float[][] scores) implements ItemScorer {
        @Override
        public void scoreAll(int user, float[] out) {
            System.arraycopy(scores[user], 0, out, 0, out.length);
        }

        @Override
        public String name() {
            return "fixed";
        }
    }

    @Test
    void ranksTheHeldOutItemAmongUnseenItemsWithIndexOrderOnTies() {
        // user 0 trained on item 0, held out item 3; user 1 trained on nothing, held out item 4
        UserItemMatrix train = UserItemMatrix.fromPairs(2, 6, new int[] { 0 }, new int[] { 0 });
        HoldoutSplit split = new HoldoutSplit(train, new int[] { 3, 4 }, 2);
        float[] scores = { 9, 5, 4, 3, 3, 1 };
        FixedScores scorer = new FixedScores(new float[][] { scores, scores });

        // user 0: item 0 is excluded (seen); items 1 and 2 score higher -> rank 2 (0-based); item 4 ties but has a
        // larger index, so it does not count. user 1: items 0, 1, 2 and (tie, smaller index) 3 are ahead -> rank 4.
        EvaluationResult at3 = new HoldoutEvaluator(split, 3).evaluate(scorer);
        assertEquals(2, at3.users());
        assertEquals(0.5, at3.hitRate(), 1e-12);
        assertEquals(0.5 / 2, at3.ndcg(), 1e-12); // (1/log2(2+2) + 0) / 2
        EvaluationResult at5 = new HoldoutEvaluator(split, 5).evaluate(scorer);
        assertEquals(1.0, at5.hitRate(), 1e-12);
        assertEquals((0.5 + 1 / (Math.log(6) / Math.log(2))) / 2, at5.ndcg(), 1e-12);
        EvaluationResult at2 = new HoldoutEvaluator(split, 2).evaluate(scorer);
        assertEquals(0, at2.hitRate(), 1e-12);
        assertEquals("fixed", at2.model());
    }

    @Test
    void usersWithoutHeldOutItemAreSkipped() {
        UserItemMatrix train = UserItemMatrix.fromPairs(2, 3, new int[] { 0, 1 }, new int[] { 0, 1 });
        HoldoutSplit split = new HoldoutSplit(train, new int[] { HoldoutSplit.NONE, 2 }, 1);
        EvaluationResult r = new HoldoutEvaluator(split, 1).evaluate(new FixedScores(new float[][] { { 0, 0, 0 }, { 0, 0, 1 } }));
        assertEquals(1, r.users());
        assertEquals(1.0, r.hitRate(), 1e-12);
        assertEquals(1.0, r.ndcg(), 1e-12);
    }
}
