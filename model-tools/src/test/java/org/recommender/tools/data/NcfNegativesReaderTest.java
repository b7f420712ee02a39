package org.recommender.tools.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NcfNegativesReaderTest {
    @TempDir
    Path dir;

    /** Training ids as a loaded .train.rating would map them: users 0..2, items 10..15 in first-appearance order. */
    private final IdMap users = ids("0", "1", "2");
    private final IdMap items = ids("10", "11", "12", "13", "14", "15");

    @Test
    void readsCasesMappedThroughTheTrainingIds() throws IOException {
        Path file = write("(0,10)\t11\t12\t13\n(2,15)\t10\t11\t12\r\n\n(1,12)\t13\t12\t14\n");
        NcfNegatives n = NcfNegativesReader.read(file, users, items);
        assertEquals(3, n.size());
        NcfNegatives.TestCase c = n.forUser(users.indexOf("2"));
        assertEquals(items.indexOf("15"), c.positive());
        assertArrayEquals(new int[] { 0, 1, 2 }, c.negatives());
        assertEquals(2, c.line());
        assertEquals(users.indexOf("0"), n.cases().get(0).user(), "file order");
        NcfNegatives.TestCase clash = n.forUser(1);
        assertTrue(clash.positiveAmongNegatives());
        assertArrayEquals(new int[] { 3, 2, 4 }, clash.negatives(), "negatives as written");
        assertArrayEquals(new int[] { 2, 3, 4 }, clash.candidates(), "held-out first, the duplicate collapsed as NCF's evaluate.py does");
        assertEquals(1, n.positiveAmongNegatives());
        assertEquals(0, n.skippedBadLines() + n.droppedCases() + n.droppedNegatives());
        assertNull(n.forUser(99));
    }

    @Test
    void malformedLinesNameFileAndLine() throws IOException {
        assertBadLine("(0,10)\t11\n0,10\t11\n", 2, "expected the first field to be (user,item) but found [0,10]");
        assertBadLine("(0,10)\n", 1, "no negative items after (0,10)");
        assertBadLine("(0,10)\t11\t\n", 1, "empty negative item in field 3");
        assertBadLine("(0,x)\t11\n", 1, "held-out item in field 1 [x] is not a non-negative integer id");
        assertBadLine("(0,10)\t11\t12\n(1,10)\t11\n", 2, "expected 2 negative items, as on the first line, but found 1");
        assertBadLine("(0,10)\t11\n(0,12)\t11\n", 2, "user [0] already has a test case on line 1");
    }

    @Test
    void unknownIdsFailByDefault() throws IOException {
        assertBadLine("(0,10)\t11\n(7,10)\t11\n", 2, "user [7] does not occur in the training data");
        assertBadLine("(0,99)\t11\n", 1, "held-out item [99] does not occur in the training data");
        assertBadLine("(0,10)\t11\t99\n", 1, "negative item [99] does not occur in the training data");
    }

    @Test
    void unknownIdsCanBeDroppedAndCounted() throws IOException {
        Path file = write("(0,10)\t11\t99\n(7,10)\t11\t12\n(1,98)\t11\t12\n(2,13)\t11\t12\n");
        NcfNegatives n = NcfNegativesReader.read(file, users, items, false, NcfNegativesReader.UnknownIds.DROP);
        assertEquals(2, n.size());
        assertEquals(2, n.droppedCases());
        assertEquals(1, n.droppedNegatives());
        assertArrayEquals(new int[] { 1 }, n.forUser(0).negatives());
    }

    @Test
    void skipBadLinesCountsThem() throws IOException {
        Path file = write("(0,10)\t11\t12\ngarbage\n(1,10)\t11\n(2,10)\t13\t14\n");
        NcfNegatives n = NcfNegativesReader.read(file, users, items, true, NcfNegativesReader.UnknownIds.FAIL);
        assertEquals(2, n.size());
        assertEquals(2, n.skippedBadLines());
        assertNull(n.forUser(1), "its line was cut short and skipped");
    }

    @Test
    void aFileWithoutUsableCasesIsAnError() throws IOException {
        Path file = write("x\n");
        InteractionFileException e = assertThrows(InteractionFileException.class,
            () -> NcfNegativesReader.read(file, users, items, true, NcfNegativesReader.UnknownIds.FAIL));
        assertEquals(file + ":1: no usable test cases (1 malformed lines, 0 with a user or held-out item unknown to the training data)", e.getMessage());
    }

    @Test
    void casesCannotBeChangedThroughTheirArrays() throws IOException {
        NcfNegatives n = NcfNegativesReader.read(write("(0,10)\t11\n"), users, items);
        n.forUser(0).negatives()[0] = 5;
        assertEquals(1, n.forUser(0).negatives()[0]);
    }

    private void assertBadLine(String content, long line, String problem) throws IOException {
        Path file = write(content);
        InteractionFileException e = assertThrows(InteractionFileException.class, () -> NcfNegativesReader.read(file, users, items));
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": " + problem), e.getMessage());
    }

    private Path write(String content) throws IOException {
        Path sub = Files.createTempDirectory(dir, "f");
        return Files.writeString(sub.resolve("ml-1m.test.negative"), content, StandardCharsets.UTF_8);
    }

    private static IdMap ids(String... ids) {
        IdMap map = new IdMap();
        for (String id : ids) {
            map.intern(id);
        }
        return map;
    }
}
