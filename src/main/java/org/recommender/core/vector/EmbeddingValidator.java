package org.recommender.core.vector;

/**
 * Checks that a vector is a usable embedding: the expected dimension and only finite elements. Every surface
 * (mapping, script params, files written by model-tools) validates through here so that users see one wording
 * for one problem.
 */
public final class EmbeddingValidator {
    /** The largest dimension any embedding may declare; bounds memory per vector and per request. */
    public static final int MAX_DIMENSIONS = 4096;

    /**
     * The largest magnitude an element may have. Bounded so that every score is finite: a dot product of two
     * {@value #MAX_DIMENSIONS}-dimensional vectors is then at most 4096 × 1e32 ≈ 4.1e35, and a squared norm as much,
     * both below float's largest value (3.4e38), so dot, cosine and their score transforms never overflow to
     * infinity or NaN. Real embeddings are many orders of magnitude smaller.
     */
    public static final float MAX_MAGNITUDE = 1e16f;

    private EmbeddingValidator() {}

    /**
     * Validates {@code vector} against {@code expectedDims}.
     *
     * @param name what the user calls this vector (a field name or a parameter such as {@code params.vector})
     * @param vector the values
     * @param expectedDims the declared dimension
     * @return {@code vector}, for chaining
     * @throws InvalidEmbeddingException naming {@code name}, the expected and actual dimension, or the index of
     *     the first non-finite element
     */
    public static float[] check(String name, float[] vector, int expectedDims) {
        if (vector.length != expectedDims) {
            throw new InvalidEmbeddingException(
                "[" + name + "] has " + vector.length + " dimensions but " + expectedDims + " were expected"
            );
        }
        checkElements(name, vector);
        return vector;
    }

    /**
     * Validates that every element is finite and at most {@link #MAX_MAGNITUDE} in magnitude.
     *
     * @param name what the user calls this vector
     * @param vector the values
     * @throws InvalidEmbeddingException naming the first NaN, infinite or too large element
     */
    public static void checkElements(String name, float[] vector) {
        for (int i = 0; i < vector.length; i++) {
            if (Float.isFinite(vector[i]) == false) {
                throw new InvalidEmbeddingException(
                    "[" + name + "] element [" + i + "] is " + vector[i] + "; embeddings must contain only finite numbers"
                );
            }
            if (Math.abs(vector[i]) > MAX_MAGNITUDE) {
                throw new InvalidEmbeddingException(
                    "[" + name + "] element [" + i + "] is " + vector[i] + "; embedding elements must be at most " + MAX_MAGNITUDE
                        + " in magnitude, so that scores stay finite"
                );
            }
        }
    }

    /**
     * Validates a declared dimension.
     *
     * @param name the field or model whose dimension this is
     * @param dims the declared dimension
     * @throws InvalidEmbeddingException when {@code dims} is not in {@code [1, MAX_DIMENSIONS]}
     */
    public static int checkDimensions(String name, int dims) {
        if (dims < 1 || dims > MAX_DIMENSIONS) {
            throw new InvalidEmbeddingException(
                "[" + name + "] dims must be between 1 and " + MAX_DIMENSIONS + " but was " + dims
            );
        }
        return dims;
    }

    /**
     * The smallest squared norm a vector compared by cosine may have: float's smallest normal value. Lucene's cosine
     * sums the squares in float, so a vector whose elements are all below ~1e-19 in magnitude has a squared norm that
     * underflows to zero there, and its cosine is infinite or NaN; every smaller norm is refused with the zero vector.
     */
    public static final double MIN_SQUARED_NORM = Float.MIN_NORMAL;

    /**
     * Validates that a vector has a direction that cosine similarity can compute with: a squared norm of at least
     * {@link #MIN_SQUARED_NORM}.
     *
     * @param name what the user calls this vector
     * @param vector the values
     * @throws InvalidEmbeddingException when every element is zero, or the vector is too short to have a norm in float
     */
    public static void checkNonZero(String name, float[] vector) {
        double squaredNorm = 0;
        for (float v : vector) {
            squaredNorm += (double) v * v;
        }
        if (squaredNorm == 0) {
            throw new InvalidEmbeddingException("[" + name + "] is the zero vector; cosine similarity is undefined for it");
        }
        if (squaredNorm < MIN_SQUARED_NORM) {
            throw new InvalidEmbeddingException(
                "[" + name + "] has a squared norm of " + squaredNorm + ", below " + MIN_SQUARED_NORM
                    + "; too short a vector for cosine similarity in float arithmetic (its norm would be zero): scale it up"
            );
        }
    }
}
