package org.recommender.core.vector;

/**
 * A vector that cannot be used as an embedding: wrong dimension, a non-finite element, a zero vector where a
 * direction is needed, or a value that is not a list of numbers. The message always names the field (or
 * parameter) and the problem, so adapters can hand it to the user unchanged.
 */
public class InvalidEmbeddingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message names the field and what is wrong with its value */
    public InvalidEmbeddingException(String message) {
        super(message);
    }
}
