package org.recommender.core.vector;

import java.util.Locale;

/**
 * How a query (user) vector is compared with an item vector, and how the raw similarity is turned into a
 * non-negative, order-preserving score (OpenSearch rejects negative scores).
 *
 * <ul>
 *   <li>{@code dot_product}: raw = u·v; score = raw + 1 when raw ≥ 0, else 1 / (1 − raw) — the transform Lucene
 *       uses for maximum-inner-product search, so exact and approximate scores agree.</li>
 *   <li>{@code cosine}: raw = u·v / (|u||v|) (0 when either is the zero vector); score = (1 + raw) / 2.</li>
 *   <li>{@code l2}: raw = |u − v|²; score = 1 / (1 + raw).</li>
 * </ul>
 * All arithmetic is {@link VectorMath}'s (the Panama Vector API when the JVM allows it), which gives the same bits
 * whether or not the JIT has compiled the caller.
 */
public enum VectorSimilarity {
    /** Inner product; the natural similarity of matrix-factorization embeddings. */
    DOT_PRODUCT {
        @Override
        public float raw(float[] query, float[] item) {
            return VectorMath.dot(query, item);
        }

        @Override
        public float toScore(float raw) {
            return raw < 0 ? 1 / (1 - raw) : raw + 1;
        }

        @Override
        public double fromScore(double score) {
            return score >= 1 ? score - 1 : 1 - 1 / score;
        }
    },
    /** Cosine of the angle; ignores vector length. */
    COSINE {
        @Override
        public float raw(float[] query, float[] item) {
            return prepare(query).raw(item);
        }

        @Override
        public Prepared prepare(float[] query) {
            float queryNorm = VectorMath.dot(query, query); // once per query, not per item
            return item -> {
                return cosine(VectorMath.dot(query, item), queryNorm, VectorMath.dot(item, item));
            };
        }

        @Override
        public float toScore(float raw) {
            return Math.max(0f, (1 + raw) / 2);
        }

        @Override
        public double fromScore(double score) {
            return 2 * score - 1;
        }
    },
    /** Squared Euclidean distance; smaller is more similar. */
    L2 {
        @Override
        public float raw(float[] query, float[] item) {
            return VectorMath.squareDistance(query, item);
        }

        @Override
        public float toScore(float raw) {
            return 1 / (1 + raw);
        }

        @Override
        public double fromScore(double score) {
            return 1 / score - 1;
        }
    };

    /**
     * The one cosine of the code base (this enum, compiled {@code cosine} models and MMR all call it, so they round
     * alike): {@code dot / sqrt(|a|² · |b|²)} computed in double and clamped to [-1, 1]; 0 when either vector is zero,
     * where it is undefined ({@code VectorUtil.cosine} would return NaN).
     *
     * @param dot a·b
     * @param squaredNormA a·a
     * @param squaredNormB b·b
     */
    public static float cosine(float dot, float squaredNormA, float squaredNormB) {
        if (squaredNormA == 0f || squaredNormB == 0f) {
            return 0f;
        }
        float c = (float) (dot / Math.sqrt((double) squaredNormA * squaredNormB));
        return Math.max(-1f, Math.min(1f, c));
    }

    /**
     * @param query the user (query) vector
     * @param item the item vector, same length as {@code query}
     * @return the similarity before the score transform
     */
    public abstract float raw(float[] query, float[] item);

    /**
     * Fixes the query side once, for scoring many items against one query (per-document scripts, exact k-NN).
     *
     * @param query the user (query) vector; must not be modified while the result is in use
     * @return the raw similarity of any item to {@code query}
     */
    public Prepared prepare(float[] query) {
        return item -> raw(query, item);
    }

    /** The raw similarity of items to one fixed query. */
    @FunctionalInterface
    public interface Prepared {
        /** @return the raw similarity of {@code item} to the prepared query */
        float raw(float[] item);

        /**
         * Scores a block of items with one call (exact top-k scans a segment block by block). Each result is
         * bit-identical to {@link #raw(float[])} of that item: the same float arithmetic in the same order per vector,
         * so a block scan and a per-document scan rank and score alike.
         *
         * @param items the items, {@code items[i]} for {@code i < count}
         * @param count how many items to score
         * @param out receives {@code raw(items[i])} at {@code out[i]}
         */
        default void raw(float[][] items, int count, float[] out) {
            for (int i = 0; i < count; i++) {
                out[i] = raw(items[i]);
            }
        }
    }

    /**
     * @param raw a value returned by {@link #raw}
     * @return the non-negative score that ranks like {@code raw} (higher is better)
     */
    public abstract float toScore(float raw);

    /**
     * Undoes {@link #toScore}, e.g. to compare a search hit's score with a model's raw output.
     *
     * @param score a score {@link #toScore} returned
     * @return the raw similarity it came from (within float rounding)
     */
    public abstract double fromScore(double score);

    /** @return the non-negative score of {@code item} for {@code query} */
    public float score(float[] query, float[] item) {
        return toScore(raw(query, item));
    }

    /**
     * @param dims the vectors' dimension
     * @return the multiply-adds one comparison of a prepared query with an item takes: {@code dims}, twice that for
     *     {@code cosine} (the item's norm too); what a server multiplies by the items it compares to bound a request
     */
    public long work(int dims) {
        return this == COSINE ? 2L * dims : dims;
    }

    /**
     * Refuses a vector this similarity cannot compare: cosine is undefined for the zero vector (and meaningless for a
     * near-zero one), which would otherwise score every item alike. The one rule for a document's vector in a cosine
     * field and for every surface's query vector against one.
     *
     * @param name how the refusal names the vector
     * @throws InvalidEmbeddingException (a 400) naming {@code name}
     */
    public void requireComparable(String name, float[] vector) {
        if (this == COSINE) {
            EmbeddingValidator.checkNonZero(name, vector);
        }
    }

    /** @return the name used in mappings and requests, e.g. {@code dot_product} */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a name as written in a mapping or request
     * @return the matching similarity
     * @throws IllegalArgumentException listing the accepted names
     */
    public static VectorSimilarity fromName(String name) {
        for (VectorSimilarity s : values()) {
            if (s.externalName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
            "unknown similarity [" + name + "]; expected one of [dot_product, cosine, l2]"
        );
    }
}
