package org.recommender.core.vector;

import java.util.List;

/**
 * Qdrant's {@code best_score} recommendation strategy: an item is scored against every example, not against one
 * user vector. With {@code sim} a similarity (its raw value, oriented so that higher is more similar: u·v for
 * {@code dot_product}, the cosine for {@code cosine}, −‖u − v‖² for {@code l2}),
 * <pre>
 *   p = max over the positive examples e of sim(e, item)
 *   n = max over the negative examples e of sim(e, item)      (−∞ when there is none)
 *   score = 1 + S(p)          when p &gt; n   (the item is nearer a positive: 1 ≤ score)
 *   score = 1 / (2 + S(n))    otherwise     (a tie goes to the negative: 0 &lt; score ≤ 1/2)
 * </pre>
 * where S is the similarity's own non-negative score transform ({@link VectorSimilarity#toScore}: r + 1 or
 * 1/(1 − r) for {@code dot_product}, (1 + r)/2 for {@code cosine}, 1/(1 + d²) for {@code l2}). So every item nearer
 * a positive than any negative ranks above every other item, the former by how near its nearest positive is, the
 * latter by how far its nearest negative is. This is the order of Qdrant's score, q = σ(p) when p &gt; n else −σ(n)
 * with σ(x) = ½(1 + x/(1 + |x|)): our score is a strictly increasing function of q (in exact arithmetic), so both
 * rank alike, but its values differ — OpenSearch refuses negative scores, and σ in float saturates (dot products
 * above ~10⁴ would tie), while S keeps the resolution every other surface has. Without negatives the score is
 * 1 + the item's best field score against any positive.
 *
 * <p>Finite: examples are item vectors within {@link EmbeddingValidator#MAX_MAGNITUDE}, so every raw similarity is
 * finite (below 4.1e35), S of it is finite and positive, and so is the score. Raw similarities are the
 * {@link VectorSimilarity.Prepared} floats every other surface computes; the branch compares them, S and the final
 * step are one float operation each.
 *
 * <p>The cost per item is one similarity per example, so a user holds at most {@link #MAX_EXAMPLES}.
 */
public final class BestScore {
    /** Most distinct examples (positive and negative together) one user may hold: every item is compared with each. */
    public static final int MAX_EXAMPLES = 100;

    private final float[][] positive;
    private final float[][] negative;

    private BestScore(float[][] positive, float[][] negative) {
        this.positive = positive;
        this.negative = negative;
    }

    /**
     * @param positive the vectors of the distinct positive examples; at least one
     * @param negative the vectors of the distinct negative examples; may be empty
     * @throws InvalidEmbeddingException when there is no positive, more than {@link #MAX_EXAMPLES} examples, or the
     *     vectors disagree in dimension, naming {@code positive} or {@code negative}
     */
    public static BestScore of(List<float[]> positive, List<float[]> negative) {
        if (positive.isEmpty()) {
            throw new InvalidEmbeddingException("[positive] needs at least one item vector");
        }
        if (positive.size() + negative.size() > MAX_EXAMPLES) {
            throw new InvalidEmbeddingException(
                "[positive] and [negative] hold " + (positive.size() + negative.size()) + " examples but at most " + MAX_EXAMPLES + " are allowed"
            );
        }
        int dims = positive.get(0).length;
        for (float[] v : positive) {
            if (v.length != dims) {
                throw new InvalidEmbeddingException("[positive] item vectors have " + v.length + " and " + dims + " dimensions");
            }
        }
        for (float[] v : negative) {
            if (v.length != dims) {
                throw new InvalidEmbeddingException("[negative] item vectors have " + v.length + " dimensions but [positive] ones have " + dims);
            }
        }
        return new BestScore(positive.toArray(float[][]::new), negative.toArray(float[][]::new));
    }

    /** @return the examples' dimension */
    public int dims() {
        return positive[0].length;
    }

    /** @return the positive examples' vectors; not to be modified */
    public float[][] positive() {
        return positive;
    }

    /** @return how many examples, positive and negative: each item is compared with every one */
    public int count() {
        return positive.length + negative.length;
    }

    /** @return the negative examples' vectors (possibly none); not to be modified */
    public float[][] negative() {
        return negative;
    }

    /**
     * The score of an item whose best raw similarities are known.
     *
     * @param similarity how raw values were computed, and their score transform S
     * @param bestPositive the raw similarity ({@link VectorSimilarity#raw}) of the item to its most similar positive
     * @param bestNegative the raw similarity to its most similar negative; ignored when {@code hasNegative} is false
     * @return {@code 1 + S(p)} when the item is more similar to its best positive than to its best negative (or there
     *     is no negative), else {@code 1 / (2 + S(n))}
     */
    public static float score(VectorSimilarity similarity, float bestPositive, float bestNegative, boolean hasNegative) {
        if (hasNegative == false || moreSimilar(similarity, bestPositive, bestNegative)) {
            return 1f + similarity.toScore(bestPositive);
        }
        return 1f / (2f + similarity.toScore(bestNegative));
    }

    /** @return whether raw similarity {@code a} means more similar than {@code b} (l2's raw is a distance) */
    static boolean moreSimilar(VectorSimilarity similarity, float a, float b) {
        return similarity == VectorSimilarity.L2 ? a < b : a > b;
    }

    /**
     * @return a scorer of items against these examples by {@code similarity}; it keeps scratch buffers, so one
     *     thread uses it at a time
     */
    public Scorer scorer(VectorSimilarity similarity) {
        return new Scorer(similarity, similarity::prepare);
    }

    /**
     * A scorer that compares items with each example by another function than {@code similarity}'s own (a stored
     * {@code dot} or {@code cosine} model, with the example as its user), while {@code similarity} still decides
     * the orientation and the transform S.
     *
     * @param similarity whose orientation ({@code l2}: lower is nearer) and {@link VectorSimilarity#toScore} apply
     * @param compare the raw similarity of items to one example; called once per example
     */
    public Scorer scorer(VectorSimilarity similarity, java.util.function.Function<float[], VectorSimilarity.Prepared> compare) {
        return new Scorer(similarity, compare);
    }

    /** Scores items against the examples: one {@link VectorSimilarity.Prepared} per example, prepared once. */
    public final class Scorer {
        private final VectorSimilarity similarity;
        private final VectorSimilarity.Prepared[] positives;
        private final VectorSimilarity.Prepared[] negatives;
        private float[] raw = new float[0];
        private float[] bestPositive = new float[0];
        private float[] bestNegative = new float[0];

        private Scorer(VectorSimilarity similarity, java.util.function.Function<float[], VectorSimilarity.Prepared> compare) {
            this.similarity = similarity;
            this.positives = new VectorSimilarity.Prepared[positive.length];
            for (int i = 0; i < positive.length; i++) {
                positives[i] = compare.apply(positive[i]);
            }
            this.negatives = new VectorSimilarity.Prepared[negative.length];
            for (int i = 0; i < negative.length; i++) {
                negatives[i] = compare.apply(negative[i]);
            }
        }

        /** @return the similarity the examples are compared by */
        public VectorSimilarity similarity() {
            return similarity;
        }

        /** @return the best-score score of {@code item} (as long as the examples) */
        public float score(float[] item) {
            float p = positives[0].raw(item);
            for (int i = 1; i < positives.length; i++) {
                p = best(p, positives[i].raw(item));
            }
            if (negatives.length == 0) {
                return BestScore.score(similarity, p, 0f, false);
            }
            float n = negatives[0].raw(item);
            for (int i = 1; i < negatives.length; i++) {
                n = best(n, negatives[i].raw(item));
            }
            return BestScore.score(similarity, p, n, true);
        }

        /**
         * Scores a block of items, each example against the whole block with one
         * {@link VectorSimilarity.Prepared#raw(float[][], int, float[])} call; {@code out[i]} equals
         * {@link #score(float[]) score(items[i])} bit for bit.
         *
         * @param items the items, {@code items[i]} for {@code i < count}
         * @param count how many to score
         * @param out receives the scores at {@code out[0..count)}
         */
        public void score(float[][] items, int count, float[] out) {
            if (raw.length < count) {
                raw = new float[count];
                bestPositive = new float[count];
                bestNegative = new float[count];
            }
            bestOf(positives, items, count, bestPositive);
            if (negatives.length > 0) {
                bestOf(negatives, items, count, bestNegative);
            }
            for (int i = 0; i < count; i++) {
                out[i] = BestScore.score(similarity, bestPositive[i], bestNegative[i], negatives.length > 0);
            }
        }

        private void bestOf(VectorSimilarity.Prepared[] examples, float[][] items, int count, float[] best) {
            examples[0].raw(items, count, best);
            for (int e = 1; e < examples.length; e++) {
                examples[e].raw(items, count, raw);
                for (int i = 0; i < count; i++) {
                    best[i] = best(best[i], raw[i]);
                }
            }
        }

        private float best(float a, float b) {
            return moreSimilar(similarity, b, a) ? b : a;
        }
    }
}
