package org.recommender.tools.eval;

import org.junit.jupiter.api.Test;
import org.recommender.tools.data.Interactions;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.ServingExport;
import org.recommender.tools.train.TrainedModel;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {
    private static Interactions log() {
        return new Interactions.Builder()
            .add("u1", "i1", 5, 1)
            .add("u1", "i2", 5, 3) // latest of u1
            .add("u1", "i3", 5, 2) // second latest: validation
            .add("u1", "i2", 4, 0) // an earlier repeat of the held-out pair: must leave training too
            .add("u2", "i1", 5, 5) // a single item: nothing to hold out
            .add("u3", "i4", 5, 7)
            .add("u3", "i5", 5, 7) // timestamp tie: the later line wins
            .build();
    }

    private static int[] items(Interactions log, String... ids) {
        return Arrays.stream(ids).mapToInt(id -> log.items().indexOf(id)).sorted().toArray();
    }

    @Test
    void leaveLatestOutHoldsOutTheLatestAndValidatesOnTheOneBefore() {
        Interactions log = log();
        Split split = new LeaveLatestOut().apply(log);
        int u1 = log.users().indexOf("u1");
        int u2 = log.users().indexOf("u2");
        int u3 = log.users().indexOf("u3");
        assertArrayEquals(items(log, "i2"), split.test().itemsOf(u1));
        assertArrayEquals(items(log, "i3"), split.validation().itemsOf(u1));
        assertArrayEquals(items(log, "i1"), split.train().itemsOf(u1));
        assertArrayEquals(new int[0], split.test().itemsOf(u2));
        assertArrayEquals(items(log, "i1"), split.train().itemsOf(u2));
        assertArrayEquals(items(log, "i5"), split.test().itemsOf(u3));
        assertArrayEquals(new int[0], split.validation().itemsOf(u3), "two items: a test item but no validation item");
        assertArrayEquals(items(log, "i4"), split.train().itemsOf(u3));
        assertEquals(3, split.train().nonZeros());
        assertEquals(4, split.seenBeforeTest().nonZeros());
    }

    @Test
    void theSequentialProtocolRanksTheLatestItemAgainstEveryUnseenItem() {
        Interactions log = log();
        ProtocolSettings settings = new ProtocolSettings(new int[] { 1, 2 }, 2020, 99, null, 0.1, 0.1, 5, 10);
        List<Fold> folds = Protocol.SEQUENTIAL.folds(log, settings);
        assertEquals(1, folds.size());
        int i2 = log.items().indexOf("i2");
        int i3 = log.items().indexOf("i3");
        int i5 = log.items().indexOf("i5");
        // a scorer that ranks items by index, except that it puts i3 (u1's validation item, seen before the test)
        // first: u1's test item i2 must be ranked against i4 and i5 only (i1 trains, i3 validates), u3's i5
        // against i1, i2 and i3 (i4 trains)
        TrainedModel scorer = new TrainedModel() {
            @Override
            public void scoreAll(int user, float[] out) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = i == i3 ? 100 : -i;
                }
            }

            @Override
            public float predict(int user, int item) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServingExport export() {
                throw new UnsupportedOperationException();
            }

            @Override
            public String name() {
                return "by-index";
            }
        };
        RankingEvaluator.Outcome outcome = folds.get(0).test().apply(scorer);
        assertEquals(2, outcome.users(), "u2 has a single item and is not tested");
        // expected ranks by hand: u1's i2 among {i2, i4, i5} by -index; u3's i5 among {i1, i2, i3, i5} with i3 first
        double u1Hit1 = rankOf(i2, new int[] { i2, log.items().indexOf("i4"), i5 }, i3) == 0 ? 1 : 0;
        double u3Hit2 = rankOf(i5, new int[] { log.items().indexOf("i1"), i2, i3, i5 }, i3) < 2 ? 1 : 0;
        double u1Hit2 = rankOf(i2, new int[] { i2, log.items().indexOf("i4"), i5 }, i3) < 2 ? 1 : 0;
        assertEquals((u1Hit1 + 0) / 2, outcome.metrics().get("hr@1"), 1e-12);
        assertEquals((u1Hit2 + u3Hit2) / 2, outcome.metrics().get("hr@2"), 1e-12);
    }

    /** The 0-based rank of {@code item} among {@code pool} under the scorer above: i3 first, then by index. */
    private static int rankOf(int item, int[] pool, int i3) {
        int rank = 0;
        for (int other : pool) {
            boolean better = other == i3 ? item != i3 : item != i3 && other < item;
            rank += other != item && better ? 1 : 0;
        }
        return rank;
    }

    @Test
    void ratioSplitCountsFollowRecBole() {
        RatioSplit s = new RatioSplit(0.1, 0.1, false, 1);
        assertArrayEquals(new int[] { 8, 1, 1 }, s.counts(10));
        assertArrayEquals(new int[] { 38, 4, 4 }, s.counts(46));
        // 0.1 · 5 = 0.5: rounded down to 0, then each small share gets one item while training keeps more than one
        assertArrayEquals(new int[] { 3, 1, 1 }, s.counts(5));
        assertArrayEquals(new int[] { 1, 0, 1 }, s.counts(2));
        assertArrayEquals(new int[] { 1, 0, 0 }, s.counts(1));
    }

    @Test
    void ratioSplitsPartitionEachUsersItemsAndTemporalPutsTheLatestLast() {
        Interactions.Builder b = new Interactions.Builder();
        for (int u = 0; u < 20; u++) {
            for (int i = 0; i < 30; i++) {
                b.add("u" + u, "i" + ((u * 7 + i) % 50), 1, 1000 + i);
            }
        }
        Interactions log = b.build();
        Split random = new RatioSplit(0.1, 0.2, false, 7).apply(log);
        Split again = new RatioSplit(0.1, 0.2, false, 7).apply(log);
        Split other = new RatioSplit(0.1, 0.2, false, 8).apply(log);
        Split temporal = new RatioSplit(0.1, 0.2, true, 7).apply(log);
        for (Split s : new Split[] { random, temporal }) {
            assertEquals(20 * 21, s.train().nonZeros());
            assertEquals(20 * 3, s.validation().nonZeros());
            assertEquals(20 * 6, s.test().nonZeros());
            assertEquals(600, UserItemMatrix.union(s.seenBeforeTest(), s.test()).nonZeros(), "the parts share no pair");
        }
        assertArrayEquals(random.test().itemsOf(3), again.test().itemsOf(3), "same seed, same split");
        assertNotEquals(Arrays.toString(random.test().itemsOf(3)), Arrays.toString(other.test().itemsOf(3)));
        // temporal: the test items are each user's 6 latest (offsets 24..29)
        int[] expected = new int[6];
        for (int k = 0; k < 6; k++) {
            expected[k] = log.items().indexOf("i" + ((3 * 7 + 24 + k) % 50));
        }
        Arrays.sort(expected);
        assertArrayEquals(expected, temporal.test().itemsOf(log.users().indexOf("u3")));
        assertThrows(IllegalArgumentException.class, () -> new RatioSplit(0.5, 0.5, false, 1));
    }

    @Test
    void kFoldTestsEveryRatingExactlyOnce() {
        Interactions.Builder b = new Interactions.Builder();
        for (int r = 0; r < 103; r++) {
            b.add("u" + r % 10, "i" + r, 1 + r % 5, r);
        }
        Interactions log = b.build();
        KFoldSplit kfold = new KFoldSplit(5, 3);
        int tested = 0;
        for (int f = 0; f < 5; f++) {
            Split s = kfold.apply(log, f);
            assertEquals(103, s.train().nonZeros() + s.test().nonZeros());
            assertTrue(s.test().nonZeros() == 20 || s.test().nonZeros() == 21, "fold sizes differ by at most one");
            tested += s.test().nonZeros();
        }
        assertEquals(103, tested);
        assertThrows(IllegalArgumentException.class, () -> new KFoldSplit(1, 3));
    }

    /**
     * A pair the file repeats counts once, with its latest rating: it was cut as two rows, which could land in a
     * training fold and a test fold at once (the model then trained on a test rating: an RMSE too good).
     */
    @Test
    void kFoldCutsEachPairOnceWithItsLatestRating() {
        Interactions.Builder b = new Interactions.Builder();
        for (int r = 0; r < 60; r++) {
            b.add("u" + r % 6, "i" + r % 10, 1 + r % 5, r); // 30 (user, item) pairs, each twice over the 60 rows
        }
        Interactions log = b.build();
        java.util.Set<Long> distinct = new java.util.HashSet<>();
        for (int r = 0; r < log.size(); r++) {
            distinct.add(((long) log.user(r) << 32) | log.item(r));
        }
        int pairs = distinct.size();
        assertTrue(pairs < log.size(), "the premise: the log repeats pairs");
        KFoldSplit kfold = new KFoldSplit(5, 3);
        int tested = 0;
        for (int f = 0; f < 5; f++) {
            Split s = kfold.apply(log, f);
            assertEquals(pairs, s.train().nonZeros() + s.test().nonZeros(), "each pair once");
            for (int e = 0; e < s.test().nonZeros(); e++) {
                int user = s.test().userOfEntry(e);
                int item = s.test().itemOfEntry(e);
                assertFalse(java.util.Arrays.stream(s.train().itemsOf(user)).anyMatch(i -> i == item), "a tested pair is not trained on");
                // the latest of the pair's rows: the largest r with r % 6 = user's and r % 10 = item's
                String u = log.users().id(user);
                String i = log.items().id(item);
                int latest = -1;
                for (int r = 0; r < 60; r++) {
                    if (("u" + r % 6).equals(u) && ("i" + r % 10).equals(i)) {
                        latest = r;
                    }
                }
                assertEquals(1 + latest % 5, s.test().valueOfEntry(e), 0f, "the latest rating of the pair");
            }
            tested += s.test().nonZeros();
        }
        assertEquals(pairs, tested);
    }

    /** Inner folds of nested tuning: a training matrix's entries cut into k parts, each rating kept with its value. */
    @Test
    void kFoldOfAMatrixPartitionsItsEntriesWithTheirRatings() {
        int n = 50;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] v = new float[n];
        for (int r = 0; r < n; r++) {
            u[r] = r % 7;
            i[r] = r;
            v[r] = 1 + r % 5;
        }
        UserItemMatrix data = UserItemMatrix.fromTriples(7, n, u, i, v);
        KFoldSplit inner = new KFoldSplit(3, 9);
        int[] heldOut = new int[n];
        for (int f = 0; f < 3; f++) {
            Split s = inner.apply(data, f);
            assertEquals(n, s.train().nonZeros() + s.test().nonZeros());
            assertTrue(s.test().nonZeros() == 16 || s.test().nonZeros() == 17, "fold sizes differ by at most one");
            assertEquals(0, s.validation().nonZeros());
            for (UserItemMatrix part : List.of(s.train(), s.test())) {
                for (int e = 0; e < part.nonZeros(); e++) {
                    int item = part.itemOfEntry(e);
                    assertEquals(item % 7, part.userOfEntry(e));
                    assertEquals(1 + item % 5, part.valueOfEntry(e), "the rating travels with its pair");
                }
            }
            for (int e = 0; e < s.test().nonZeros(); e++) {
                heldOut[s.test().itemOfEntry(e)]++;
            }
        }
        assertTrue(Arrays.stream(heldOut).allMatch(c -> c == 1), "every rating is held out by exactly one fold: " + Arrays.toString(heldOut));
        Split again = new KFoldSplit(3, 9).apply(data, 1);
        assertArrayEquals(itemsOf(inner.apply(data, 1).test()), itemsOf(again.test()), "seeded");
        assertThrows(IllegalArgumentException.class, () -> inner.apply(data, 3));
    }

    private static int[] itemsOf(UserItemMatrix m) {
        int[] items = new int[m.nonZeros()];
        Arrays.setAll(items, m::itemOfEntry);
        return items;
    }

    @Test
    void sampledNegativesAreUnseenDistinctAndSeeded() {
        UserItemMatrix all = UserItemMatrix.fromPairs(2, 200, new int[] { 0, 0, 1 }, new int[] { 5, 6, 7 });
        UserItemMatrix held = UserItemMatrix.fromPairs(2, 200, new int[] { 0 }, new int[] { 5 });
        int[][] a = new NegativeSampler(99, 4).sample(all, held);
        int[][] b = new NegativeSampler(99, 4).sample(all, held);
        assertArrayEquals(a[0], b[0]);
        assertEquals(null, a[1], "a user without a held-out item gets no negatives");
        assertEquals(99, Arrays.stream(a[0]).distinct().count());
        assertTrue(Arrays.stream(a[0]).noneMatch(i -> i == 5 || i == 6));
    }
}
