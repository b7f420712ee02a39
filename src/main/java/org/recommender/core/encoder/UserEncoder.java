package org.recommender.core.encoder;

/**
 * A compiled user encoder: turns a user's recent history — item vectors, oldest first — into the user vector a
 * scoring model then scores against items. Obtained from {@code ModelBundle.compileEncoder()}; the formulas of each
 * type are specified in {@code docs/model-format.md} ("User encoders"). Immutable and safe to share between threads;
 * {@link #encode} allocates only what the one call needs and keeps nothing.
 */
public interface UserEncoder {
    /** @return {@code sasrec}, {@code gru4rec} or {@code multdae} */
    String type();

    /** @return the dimension of the history item vectors the encoder reads */
    int itemDims();

    /** @return the dimension of the user vector it produces */
    int userDims();

    /** @return the most history items one encoding reads; a longer history is refused */
    int maxLength();

    /**
     * @return whether the order of the history matters and a repeated item counts again ({@code sasrec},
     *     {@code gru4rec}); {@code false} for a set encoder ({@code multdae}), which counts each distinct item once
     *     and which callers hand the distinct items in any order
     */
    boolean ordered();

    /** @return an estimate of the bytes the compiled weights keep resident, for a cache's byte limit */
    long memoryBytes();

    /**
     * The multiply-adds one {@link #encode} call of {@code length} items takes, as {@code docs/model-format.md}
     * counts them per type, so a server can bound a request's encodings before it runs them.
     *
     * @param length history items
     */
    long encodeWork(int length);

    /**
     * An upper bound on the transient memory one {@link #encode} call of {@code length} items allocates, so a server
     * can charge it to a circuit breaker before the call.
     *
     * @param length history items
     * @return bytes
     */
    long encodeBytesBound(int length);

    /**
     * Encodes one history.
     *
     * @param history item vectors, oldest first, each {@link #itemDims()} long; only the first {@code length} are read
     * @param length how many items, 1 to {@link #maxLength()}
     * @return a new array of {@link #userDims()} finite-or-not values (callers check finiteness where the vector
     *     enters scoring)
     * @throws IllegalArgumentException for an empty history, one longer than {@link #maxLength()}, or a vector of
     *     the wrong dimension; the message names which
     */
    float[] encode(float[][] history, int length);
}
