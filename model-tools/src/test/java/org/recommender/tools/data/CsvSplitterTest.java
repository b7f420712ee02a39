package org.recommender.tools.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvSplitterTest {
    private final CsvSplitter csv = new CsvSplitter(',');

    @Test
    void splitsPlainQuotedAndEmptyFields() {
        assertEquals(List.of("a", "b", "c"), csv.split("a,b,c"));
        assertEquals(List.of("a", "", "c", ""), csv.split("a,,c,"));
        assertEquals(List.of("x, y", "say \"hi\"", "z"), csv.split("\"x, y\",\"say \"\"hi\"\"\", z "));
        assertEquals(List.of(""), csv.split(""));
    }

    @Test
    void rejectsBrokenQuoting() {
        assertEquals("unclosed double quote in field 1", assertThrows(IllegalArgumentException.class, () -> csv.split("\"abc")).getMessage());
        assertEquals(
            "unexpected text after the closing quote of field 2",
            assertThrows(IllegalArgumentException.class, () -> csv.split("a,\"b\"c")).getMessage()
        );
    }

    @Test
    void literalSplitterHandlesMultiCharacterDelimiters() {
        LiteralSplitter ml = new LiteralSplitter("::");
        assertEquals(List.of("1", "1193", "5", "978300760"), ml.split("1::1193::5::978300760"));
        assertEquals(List.of("a", "", "b"), ml.split("a::::b"));
        assertEquals("'::'", ml.describe());
        assertEquals("tab", new LiteralSplitter("\t").describe());
    }
}
