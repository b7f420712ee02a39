package org.recommender.tools.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    @Test
    void delaysDoubleUpToTheCap() {
        RetryPolicy p = RetryPolicy.withRetries(8);
        long[] expected = { 250, 500, 1000, 2000, 4000, 8000, 8000, 8000 };
        for (int retry = 1; retry <= expected.length; retry++) {
            assertEquals(expected[retry - 1], p.delayMillis(retry), "retry " + retry);
        }
        assertEquals(8000, p.delayMillis(200), "no overflow for absurd retry numbers");
    }

    @Test
    void onlyTransientStatusesAreRetried() {
        for (int s : new int[] { 429, 500, 502, 503, 504 }) {
            assertTrue(RetryPolicy.retryableStatus(s), "status " + s);
        }
        for (int s : new int[] { 200, 201, 400, 401, 403, 404, 409, 413, 501 }) {
            assertFalse(RetryPolicy.retryableStatus(s), "status " + s);
        }
        assertTrue(new BulkItemFailure("a", 429, "busy").retryable());
        assertFalse(new BulkItemFailure("a", 400, "bad").retryable());
    }

    @Test
    void boundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.withRetries(-1));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.withRetries(21));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, 100, 50));
    }
}
