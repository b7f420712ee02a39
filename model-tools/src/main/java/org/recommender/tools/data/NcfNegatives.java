package org.recommender.tools.data;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The NCF leave-one-out test cases (He et al., WWW 2017) read from a {@code *.test.negative} file by
 * {@link NcfNegativesReader}: per user, the held-out item and the sampled items it is ranked against. Users and
 * items are indices of the training data's {@link IdMap}s, so a model trained on {@code *.train.rating} scores them
 * directly. The held-out item is the same as in {@code *.test.rating}, which is therefore not needed to evaluate.
 */
public final class NcfNegatives {
    private final List<TestCase> cases;
    private final TestCase[] byUser;
    private final long skippedBadLines;
    private final long droppedCases;
    private final long droppedNegatives;
    private final long positiveAmongNegatives;

    NcfNegatives(List<TestCase> cases, int userCount, long skippedBadLines, long droppedCases, long droppedNegatives) {
        this.cases = List.copyOf(cases);
        this.byUser = new TestCase[userCount];
        long clash = 0;
        for (TestCase c : cases) {
            byUser[c.user()] = c;
            if (c.positiveAmongNegatives()) {
                clash++;
            }
        }
        this.skippedBadLines = skippedBadLines;
        this.droppedCases = droppedCases;
        this.droppedNegatives = droppedNegatives;
        this.positiveAmongNegatives = clash;
    }

    /** @return the test cases in file order */
    public List<TestCase> cases() {
        return cases;
    }

    /** @return how many test cases there are */
    public int size() {
        return cases.size();
    }

    /**
     * @param user a user index of the training data
     * @return that user's test case, or {@code null} when the file has none for the user
     */
    public TestCase forUser(int user) {
        return user >= 0 && user < byUser.length ? byUser[user] : null;
    }

    /** @return malformed lines skipped ({@code skipBadLines} only) */
    public long skippedBadLines() {
        return skippedBadLines;
    }

    /** @return lines dropped because their user or held-out item is unknown to the training data ({@code DROP} only) */
    public long droppedCases() {
        return droppedCases;
    }

    /**
     * @return negatives dropped because the training data never saw the item ({@code DROP} only). Each drop leaves
     *     the held-out item one fewer competitor, so reported numbers are slightly optimistic; report this count.
     */
    public long droppedNegatives() {
        return droppedNegatives;
    }

    /**
     * @return test cases whose held-out item is also among its "negatives" (a known quirk of the NCF files: 156 of
     *     6,040 lines of {@code ml-1m.test.negative}); {@link TestCase#candidates()} collapses the duplicate as NCF's
     *     own evaluation does
     */
    public long positiveAmongNegatives() {
        return positiveAmongNegatives;
    }

    /**
     * One user's test case.
     *
     * @param line the 1-based line of the file it came from, for messages
     * @param user the user index
     * @param positive the held-out item index
     * @param negatives the sampled item indices, in file order, as written (they may include {@code positive});
     *     the array is copied in and out, so a case cannot be changed
     */
    public record TestCase(long line, int user, int positive, int[] negatives) {
        /** Copies {@code negatives}. */
        public TestCase {
            negatives = negatives.clone();
        }

        @Override
        public int[] negatives() {
            return negatives.clone();
        }

        /** @return whether the held-out item is among the negatives */
        public boolean positiveAmongNegatives() {
            for (int n : negatives) {
                if (n == positive) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The items to rank, held-out item first, each once. NCF's {@code evaluate.py} keys scores by item, which
         * silently collapses a duplicate; doing the same keeps results comparable with published NCF-protocol numbers.
         *
         * @return {@code positive} followed by the distinct negatives other than it, in file order
         */
        public int[] candidates() {
            Set<Integer> distinct = new LinkedHashSet<>();
            distinct.add(positive);
            for (int n : negatives) {
                distinct.add(n);
            }
            return distinct.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TestCase t && t.line == line && t.user == user && t.positive == positive && Arrays.equals(t.negatives, negatives);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(line) * 31 + Arrays.hashCode(negatives) + user * 17 + positive;
        }

        @Override
        public String toString() {
            return "TestCase[line=" + line + ", user=" + user + ", positive=" + positive + ", negatives=" + Arrays.toString(negatives) + "]";
        }
    }
}
