package org.recommender.tools.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinesLoaderTest {
    private static final LoadOptions SKIP = new LoadOptions(Double.NEGATIVE_INFINITY, true);

    @TempDir
    Path dir;

    @Test
    void readsObjectsWithNumberOrStringIdsAndOptionalExtras() throws IOException {
        Path file = write("events.jsonl", """
            \uFEFF{"user_id": 1, "item_id": "a", "rating": 4.5, "timestamp": 100, "extra": [1, 2]}

            {"item_id": 7, "user_id": "1", "rating": "3", "timestamp": "101"}\r
            {"user_id": 2, "item_id": "a", "rating": 1, "timestamp": 99999999999}
            """);
        LoadResult r = load(file, CsvOptions.DEFAULTS, LoadOptions.STRICT);
        Interactions log = r.interactions();
        assertEquals(InteractionFormat.JSONL, r.format());
        assertEquals(3, log.size());
        assertEquals(3, r.dataLines());
        assertEquals(2, log.users().size(), "1 and \"1\" are the same user");
        assertEquals(2, log.items().size());
        assertEquals("7", log.items().id(log.item(1)));
        assertEquals(4.5f, log.rating(0));
        assertEquals(3f, log.rating(1));
        assertEquals(101L, log.timestamp(1));
        assertEquals(99999999999L, log.timestamp(2));
        assertTrue(r.hasRatings() && r.hasTimestamps());
    }

    @Test
    void fieldNamesComeFromTheCsvOptionsAndMissingExtrasDefault() throws IOException {
        Path file = write("plays.ndjson", "{\"who\":\"u1\",\"what\":\"i1\"}\n{\"who\":\"u1\",\"what\":\"i2\",\"score\":null}\n");
        LoadResult r = load(file, new CsvOptions(',', "who", "what", "score", "when"), LoadOptions.STRICT);
        assertFalse(r.hasRatings());
        assertFalse(r.hasTimestamps());
        assertEquals(1f, r.interactions().rating(1), "null counts as absent");
        assertEquals(1L, r.interactions().timestamp(0), "line order stands in for time");
        assertEquals(2L, r.interactions().timestamp(1));
    }

    /** A rating or timestamp field the user named is required in every record, as the ids are; not named, it is optional. */
    @Test
    void aNamedRatingOrTimestampFieldIsRequired() throws IOException {
        Path file = write("plays.jsonl", "{\"user_id\":\"u1\",\"item_id\":\"i1\",\"stars\":4}\n{\"user_id\":\"u2\",\"item_id\":\"i1\",\"stars\":5}\n");
        assertFalse(load(file, CsvOptions.DEFAULTS, LoadOptions.STRICT).hasRatings());
        CsvOptions rating = new CsvOptions(',', "user_id", "item_id", "rating", "timestamp", true, false);
        InteractionFileException e = assertThrows(InteractionFileException.class, () -> load(file, rating, LoadOptions.STRICT));
        assertEquals(file + ":1: no field [rating] (choose with --rating-column)", e.getMessage());
        CsvOptions timestamp = new CsvOptions(',', "user_id", "item_id", "stars", "timestamp", false, true);
        e = assertThrows(InteractionFileException.class, () -> load(file, timestamp, LoadOptions.STRICT));
        assertEquals(file + ":1: no field [timestamp] (choose with --timestamp-column)", e.getMessage());
        LoadResult r = load(file, new CsvOptions(',', "user_id", "item_id", "stars", "timestamp", true, false), LoadOptions.STRICT);
        assertTrue(r.hasRatings());
        assertEquals(5f, r.interactions().rating(1));
    }

    @Test
    void malformedLinesNameFileAndLine() throws IOException {
        assertBadLine("{\"user_id\":1,\"item_id\":2}\n{\"user_id\":1,\n", 2, "not valid JSON: ");
        assertBadLine("[1,2]\n", 1, "expected a JSON object but found array");
        assertBadLine("{\"user_id\":1,\"item_id\":2} {\"user_id\":1,\"item_id\":3}\n", 1, "not valid JSON: ");
        assertBadLine("{\"item_id\":2}\n", 1, "no field [user_id] (choose with --user-column)");
        assertBadLine("{\"user_id\":1,\"item_id\":2.5}\n", 1, "field [item_id] must be a string or a whole number but is 2.5");
        assertBadLine("{\"user_id\":\"\",\"item_id\":2}\n", 1, "empty id in field [user_id]");
        assertBadLine("{\"user_id\":1,\"item_id\":2,\"rating\":\"five\"}\n", 1, "rating \"five\" in field [rating] is not a finite number");
        assertBadLine("{\"user_id\":1,\"item_id\":2,\"timestamp\":1.5}\n", 1, "timestamp 1.5 in field [timestamp] is not a whole number");
        assertBadLine("{\"user_id\":1,\"item_id\":2,\"rating\":5}\n{\"user_id\":1,\"item_id\":3}\n", 2,
            "lacks field [rating] but the first record (line 1) has it; every record must have it or none");
        assertBadLine("{\"user_id\":1,\"item_id\":2}\n\n{\"user_id\":1,\"item_id\":3,\"timestamp\":9}\n", 3,
            "has field [timestamp] but the first record (line 1) lacks it");
    }

    @Test
    void skipBadLinesCountsThemAndABadFirstLineDoesNotFixTheLayout() throws IOException {
        Path file = write("e.jsonl", "{\"user_id\":1,\"item_id\":\"x\",\"rating\":\"bad\"}\nnot json\n{\"user_id\":1,\"item_id\":2}\n{\"user_id\":2,\"item_id\":2}\n{\"user_id\":3}\n");
        LoadResult r = load(file, CsvOptions.DEFAULTS, SKIP);
        assertEquals(2, r.interactions().size());
        assertEquals(3, r.skippedBadLines());
        assertEquals(5, r.dataLines());
        assertFalse(r.hasRatings(), "the skipped first line had a rating, but the first good record decides");
        assertEquals(file + ":1: rating \"bad\" in field [rating] is not a finite number", r.firstBadLine());
    }

    @Test
    void minRatingNeedsRatingsInTheFirstRecord() throws IOException {
        Path file = write("e.jsonl", "\n{\"user_id\":1,\"item_id\":2}\n");
        InteractionFileException e = assertThrows(InteractionFileException.class, () -> load(file, CsvOptions.DEFAULTS, new LoadOptions(3, false)));
        assertEquals(file + ":2: --min-rating needs a rating column but the first record (line 2) has no field [rating]", e.getMessage());
        Path rated = write("r.jsonl", "{\"user_id\":1,\"item_id\":2,\"rating\":4}\n{\"user_id\":1,\"item_id\":3,\"rating\":2}\n");
        LoadResult r = load(rated, CsvOptions.DEFAULTS, new LoadOptions(3, false));
        assertEquals(1, r.interactions().size());
        assertEquals(1, r.belowMinRating());
    }

    private static LoadResult load(Path file, CsvOptions names, LoadOptions options) throws IOException {
        return new InteractionLoader(file, InteractionFormat.JSONL, names, options).load();
    }

    private void assertBadLine(String content, long line, String problem) throws IOException {
        Path file = write("bad.jsonl", content);
        InteractionFileException e = assertThrows(InteractionFileException.class, () -> load(file, CsvOptions.DEFAULTS, LoadOptions.STRICT));
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": " + problem), e.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        Path sub = Files.createTempDirectory(dir, "f");
        return Files.writeString(sub.resolve(name), content, StandardCharsets.UTF_8);
    }
}
