package org.recommender.tools.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticInteractionsTest {
    private static List<String> rows(SyntheticConfig config) throws IOException {
        List<String> rows = new ArrayList<>();
        new SyntheticInteractions(config).generate((u, i, r, t) -> rows.add(u + "," + i + "," + r + "," + t));
        return rows;
    }

    @Test
    void sameSeedSameRowsOtherSeedOtherRows() throws IOException {
        SyntheticConfig a = new SyntheticConfig(50, 40, 8, 4, 0.1, 1.0, 7);
        assertEquals(rows(a), rows(a));
        assertNotEquals(rows(a), rows(new SyntheticConfig(50, 40, 8, 4, 0.1, 1.0, 8)));
    }

    @Test
    void usersGetDistinctItemsInIncreasingTimeWithinTheConfiguredRange() throws IOException {
        Map<String, Set<String>> items = new HashMap<>();
        Map<String, Long> lastTime = new HashMap<>();
        new SyntheticInteractions(new SyntheticConfig(200, 60, 10, 5, 0.2, 1.0, 3)).generate((u, i, r, t) -> {
            assertTrue(items.computeIfAbsent(u, k -> new HashSet<>()).add(i), "repeated item " + i + " for " + u);
            assertTrue(t > lastTime.getOrDefault(u, 0L), "time must increase per user");
            lastTime.put(u, t);
            assertTrue(r >= 1 && r <= 5);
        });
        assertEquals(200, items.size());
        items.values().forEach(s -> assertTrue(s.size() >= 5 && s.size() <= 15, "count " + s.size()));
    }

    @Test
    void invalidParametersNameTheOption() {
        assertEquals("--users must be at least 1 but was 0",
            assertThrows(IllegalArgumentException.class, () -> new SyntheticConfig(0, 10, 2, 2, 0.1, 1, 1)).getMessage());
        assertEquals("--clusters (20) cannot exceed --items (10)",
            assertThrows(IllegalArgumentException.class, () -> new SyntheticConfig(5, 10, 2, 20, 0.1, 1, 1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SyntheticConfig(5, 10, 9, 2, 0.1, 1, 1)).getMessage()
            .startsWith("--interactions-per-user (9) must be at most two thirds of --items"));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticConfig(5, 10, 2, 2, 1.5, 1, 1));
    }
}
