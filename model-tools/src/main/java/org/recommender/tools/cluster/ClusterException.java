package org.recommender.tools.cluster;

import java.io.IOException;

/**
 * OpenSearch could not be reached, refused a request, or the result did not check out (e.g. the final document
 * count). The message is meant to be shown to the user as is, on one line.
 */
public class ClusterException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the URL, index or document involved */
    public ClusterException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
