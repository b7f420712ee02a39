package org.recommender.tools.parity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReservoirTest {
    private static List<Integer> draw(int size, int n, long seed) {
        Reservoir<Integer> r = new Reservoir<>(size, seed);
        for (int i = 0; i < n; i++) {
            r.offer(i);
        }
        return r.sample();
    }

    @Test
    void keepsEverythingUntilFullThenASeededSampleOfTheWholeStream() {
        assertEquals(List.of(0, 1, 2), draw(5, 3, 1));
        assertEquals(draw(5, 1000, 1), draw(5, 1000, 1));
        assertNotEquals(draw(5, 1000, 1), draw(5, 1000, 2));
        // every element has the same chance 5/100: over many seeds, late elements are drawn about as often as early ones
        int early = 0;
        int late = 0;
        for (long seed = 0; seed < 2000; seed++) {
            for (int x : draw(5, 100, seed)) {
                early += x < 50 ? 1 : 0;
                late += x >= 50 ? 1 : 0;
            }
        }
        assertEquals(10_000, early + late);
        assertTrue(Math.abs(early - late) < 600, early + " early vs " + late + " late");
    }
}
