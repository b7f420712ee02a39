package org.recommender.core.model;

/**
 * A model bundle that cannot be used: not a bundle, an unsupported version, a corrupt or truncated file, a header
 * that is not valid JSON or names an unknown type or activation, shapes that do not chain, weight blocks whose size
 * differs from the declared shape, or a non-finite weight. The message starts with the offending field or block
 * (e.g. {@code layers[1].weights: expected 64x128 floats but the bundle has 1024}), so adapters can hand it to the
 * user unchanged. Nothing else is ever thrown for bad bytes.
 */
public class InvalidModelException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message names the field or block and what is wrong with it */
    public InvalidModelException(String message) {
        super(message);
    }

    /**
     * @param message names the field or block and what is wrong with it
     * @param cause the underlying parse error
     */
    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
