package org.recommender.tools.eval;

import org.recommender.tools.train.ItemScorer;
import org.junit.jupiter.api.Test;
import org.recommender.tools.data.UserItemMatrix;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankingEvaluatorTest {
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

    private static final double EPS = 1e-12;

    @Test
    void fullRankingExcludesSeenItemsAndOrdersTiesByIndex() {
        // user 0 trained on item 0, held out item 3; user 1 trained on nothing, held out item 4
        UserItemMatrix train = UserItemMatrix.fromPairs(2, 6, new int[] { 0 }, new int[] { 0 });
        UserItemMatrix test = UserItemMatrix.fromPairs(2, 6, new int[] { 0, 1 }, new int[] { 3, 4 });
        float[] scores = { 9, 5, 4, 3, 3, 1 };
        FixedScores scorer = new FixedScores(new float[][] { scores, scores });
        // user 0: item 0 excluded; items 1, 2 ahead -> rank 2. user 1: items 0, 1, 2 and (tie, smaller index) 3 -> rank 4
        RankingEvaluator.Outcome outcome = new RankingEvaluator(train, train, test, null, new int[] { 2, 3, 5 }, true).evaluate(scorer);
        assertEquals(2, outcome.users());
        Map<String, Double> m = outcome.metrics();
        assertFalse(m.containsKey("users"), "the user count is no metric");
        assertEquals(0, m.get("hr@2"), EPS);
        assertEquals(0.5, m.get("hr@3"), EPS);
        assertEquals(0.5 / 2, m.get("ndcg@3"), EPS); // (1/log2(2+2) + 0) / 2
        assertEquals(1.0, m.get("hr@5"), EPS);
        assertEquals((0.5 + 1 / (Math.log(6) / Math.log(2))) / 2, m.get("ndcg@5"), EPS);
        assertEquals((1.0 / 3 + 1.0 / 5) / 2, m.get("mrr@5"), EPS);
        assertEquals((1.0 / 5 + 1.0 / 5) / 2, m.get("precision@5"), EPS);
        // AUC: user 0 ranks above 2 of 4 negatives, user 1 above 1 of 5
        assertEquals((2.0 / 4 + 1.0 / 5) / 2, m.get("auc"), EPS);
        // top-3 lists: user 0 {1, 2, 3}, user 1 {0, 1, 2}: 4 of 6 items
        assertEquals(4.0 / 6, m.get("coverage@3"), EPS);
    }

    @Test
    void sampledCandidatesRankTheHeldOutItemOnlyAgainstItsNegatives() {
        UserItemMatrix train = UserItemMatrix.fromPairs(2, 8, new int[] { 0 }, new int[] { 0 });
        UserItemMatrix test = UserItemMatrix.fromPairs(2, 8, new int[] { 0, 1 }, new int[] { 3, 5 });
        float[] scores = { 9, 8, 7, 6, 5, 4, 3, 2 };
        // user 0 against {1, 6, 7} (1 is ahead) and its own positive listed as a negative, which counts once;
        // user 1 has no candidate row: not evaluated
        int[][] negatives = { { 1, 3, 6, 7 }, null };
        RankingEvaluator.Outcome outcome = new RankingEvaluator(train, train, test, negatives, new int[] { 1, 2 }, false)
            .evaluate(new FixedScores(new float[][] { scores, scores }));
        assertEquals(1, outcome.users());
        Map<String, Double> m = outcome.metrics();
        assertEquals(0, m.get("hr@1"), EPS);
        assertEquals(1, m.get("hr@2"), EPS);
        assertEquals(1 / (Math.log(3) / Math.log(2)), m.get("ndcg@2"), EPS);
        assertEquals(2.0 / 3, m.get("auc"), EPS);
    }

    @Test
    void recallAndMapUseEveryHeldOutItem() {
        UserItemMatrix none = UserItemMatrix.fromPairs(1, 6, new int[0], new int[0]);
        UserItemMatrix test = UserItemMatrix.fromPairs(1, 6, new int[] { 0, 0, 0 }, new int[] { 0, 2, 5 });
        float[][] scores = { { 6, 5, 4, 3, 2, 1 } };
        Map<String, Double> m = new RankingEvaluator(none, none, test, null, new int[] { 3 }, false).evaluate(new FixedScores(scores)).metrics();
        assertEquals(2.0 / 3, m.get("recall@3"), EPS);
        assertEquals((1 + 2.0 / 3) / 3, m.get("map@3"), EPS);
    }

    /**
     * Users scored on several threads give exactly the one thread's outcome: every mean to the last bit, the
     * coverage and both score distributions. More users than one chunk holds, so the chunked reduction is crossed
     * too; random scores with many ties, so any change in order or tie-breaking would show.
     */
    @Test
    void parallelOutcomeEqualsTheSingleThreadedOneExactly() {
        int users = 8500;
        int items = 60;
        SplittableRandom random = new SplittableRandom(5);
        // per user 5 distinct training items and 1 or 2 held-out ones, none seen in training
        int[] tu = new int[users * 5];
        int[] ti = new int[users * 5];
        int[] hu = new int[users * 2];
        int[] hi = new int[users * 2];
        int held = 0;
        for (int user = 0; user < users; user++) {
            int[] order = random.ints(0, items).distinct().limit(7).toArray();
            for (int t = 0; t < 5; t++) {
                tu[user * 5 + t] = user;
                ti[user * 5 + t] = order[t];
            }
            for (int t = 5; t < (user % 3 == 0 ? 7 : 6); t++) {
                hu[held] = user;
                hi[held++] = order[t];
            }
        }
        UserItemMatrix train = UserItemMatrix.fromPairs(users, items, tu, ti);
        UserItemMatrix test = UserItemMatrix.fromPairs(users, items, Arrays.copyOf(hu, held), Arrays.copyOf(hi, held));
        float[][] scores = new float[users][items];
        for (float[] row : scores) {
            for (int j = 0; j < items; j++) {
                row[j] = random.nextInt(8); // coarse: ties everywhere
            }
        }
        int[][] sampled = new int[users][];
        for (int user = 0; user < users; user += 2) {
            sampled[user] = random.ints(10, 0, items).toArray(); // odd users have no row: skipped
        }
        FixedScores scorer = new FixedScores(scores);
        for (int[][] candidates : new int[][][] { null, sampled }) {
            RankingEvaluator.Outcome one = new RankingEvaluator(train, train, test, candidates, new int[] { 1, 3 }, true, 1)
                .evaluate(scorer);
            assertTrue(one.users() > users / 3, "enough users evaluated: " + one.users());
            for (int threads : new int[] { 3, 8 }) {
                RankingEvaluator.Outcome many = new RankingEvaluator(train, train, test, candidates, new int[] { 1, 3 },
                    true, threads).evaluate(scorer);
                String where = (candidates == null ? "full ranking" : "sampled") + ", " + threads + " threads";
                assertEquals(one.users(), many.users(), where);
                assertEquals(one.metrics(), many.metrics(), where); // Double.equals: bit for bit
                assertEquals(List.copyOf(one.metrics().keySet()), List.copyOf(many.metrics().keySet()), where + ": metric order");
                assertEquals(one.positiveScores(), many.positiveScores(), where);
                assertEquals(one.negativeScores(), many.negativeScores(), where);
            }
        }
    }
}
