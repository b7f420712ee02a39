package org.recommender.tools.cluster;

/**
 * Bounded retries with exponential back-off, for requests that failed in a way that may pass: a connection error,
 * HTTP 429 (the node is shedding load) or a 5xx. Delays double from {@code initialDelayMillis} up to
 * {@code maxDelayMillis}.
 *
 * @param maxRetries retries after the first attempt; 0 disables retrying
 * @param initialDelayMillis delay before the first retry
 * @param maxDelayMillis cap on any single delay
 */
public record RetryPolicy(int maxRetries, long initialDelayMillis, long maxDelayMillis) {
    /** Default initial delay. */
    public static final long DEFAULT_INITIAL_DELAY_MILLIS = 250;
    /** Default cap on one delay. */
    public static final long DEFAULT_MAX_DELAY_MILLIS = 8_000;

    /** Validates the bounds. */
    public RetryPolicy {
        if (maxRetries < 0 || maxRetries > 20) {
            throw new IllegalArgumentException("--max-retries must be between 0 and 20 but was " + maxRetries);
        }
        if (initialDelayMillis < 0 || maxDelayMillis < initialDelayMillis) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= initial <= max");
        }
    }

    /** @return a policy with the default delays */
    public static RetryPolicy withRetries(int maxRetries) {
        return new RetryPolicy(maxRetries, DEFAULT_INITIAL_DELAY_MILLIS, DEFAULT_MAX_DELAY_MILLIS);
    }

    /**
     * @param retry 1-based retry number
     * @return how long to wait before that retry
     */
    public long delayMillis(int retry) {
        long delay = initialDelayMillis << Math.min(retry - 1, 30);
        return Math.min(delay < 0 ? maxDelayMillis : delay, maxDelayMillis);
    }

    /** @return whether an HTTP status is worth retrying: 429 and the 5xx that signal a transient condition */
    public static boolean retryableStatus(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }
}
