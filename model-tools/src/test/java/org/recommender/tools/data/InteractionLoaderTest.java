package org.recommender.tools.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InteractionLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsMovieLens100kTabSeparated() throws IOException {
        Path file = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n");
        LoadResult r = load(file, InteractionFormat.MOVIELENS_100K, LoadOptions.STRICT);
        Interactions log = r.interactions();
        assertEquals(3, log.size());
        assertEquals(2, log.users().size());
        assertEquals(3, log.items().size());
        assertEquals("196", log.users().id(log.user(2)));
        assertEquals("377", log.items().id(log.item(2)));
        assertEquals(1f, log.rating(2));
        assertEquals(878887116L, log.timestamp(2));
        assertTrue(r.hasRatings() && r.hasTimestamps());
    }

    @Test
    void readsMovieLens1mDoubleColonSeparatedWithWindowsLineEnds() throws IOException {
        Path file = write("ratings.dat", "1::1193::5::978300760\r\n1::661::3::978302109\r\n\r\n2::1193::4::978298413\r\n");
        Interactions log = load(file, InteractionFormat.MOVIELENS_1M, LoadOptions.STRICT).interactions();
        assertEquals(3, log.size());
        assertEquals("1193", log.items().id(log.item(2)));
        assertEquals(4f, log.rating(2));
        assertEquals(978298413L, log.timestamp(2));
    }

    @Test
    void readsCsvWithNamedColumnsInAnyOrderAndQuotedIds() throws IOException {
        Path file = write("events.csv", "\uFEFFts,item,extra,who\n10,\"a,b\",x,u1\n11, i2 ,y,\"u \"\"2\"\"\"\n");
        CsvOptions columns = new CsvOptions(',', "who", "item", "score", "ts");
        LoadResult r = new InteractionLoader(file, InteractionFormat.CSV, columns, LoadOptions.STRICT).load();
        Interactions log = r.interactions();
        assertEquals("a,b", log.items().id(log.item(0)));
        assertEquals("i2", log.items().id(log.item(1)));
        assertEquals("u \"2\"", log.users().id(log.user(1)));
        assertEquals(11L, log.timestamp(1));
        assertEquals(1f, log.rating(0), "no rating column: every interaction counts as 1");
        assertFalse(r.hasRatings());
        assertTrue(r.hasTimestamps());
    }

    @Test
    void csvWithoutTimestampColumnUsesLineOrder() throws IOException {
        Path file = write("t.tsv", "user_id\titem_id\nu1\ti1\nu1\ti2\n");
        LoadResult r = new InteractionLoader(file, InteractionFormat.CSV, new CsvOptions('\t', "user_id", "item_id", "rating", "timestamp"), LoadOptions.STRICT).load();
        assertFalse(r.hasTimestamps());
        assertEquals(2L, r.interactions().timestamp(0));
        assertEquals(3L, r.interactions().timestamp(1));
    }

    @Test
    void malformedLinesNameFileAndLine() throws IOException {
        assertBadLine(write("u.data", "1\t2\t3\t4\n1\t2\t3\n"), InteractionFormat.MOVIELENS_100K, 2,
            "expected 4 fields separated by tab but found 3");
        assertBadLine(write("ratings.dat", "1::2::3::4\n\n1::2::x::4\n"), InteractionFormat.MOVIELENS_1M, 3,
            "rating [x] in field 3 is not a finite number");
        assertBadLine(write("a.csv", "user_id,item_id,rating,timestamp\nu1,i1,5,100\nu1,i2,5,yesterday\n"), InteractionFormat.CSV, 3,
            "timestamp [yesterday] in field 4 is not a whole number");
        assertBadLine(write("b.csv", "user_id,item_id,rating,timestamp\n,i1,5,100\n"), InteractionFormat.CSV, 2,
            "empty user id in field 1");
        assertBadLine(write("c.csv", "user_id,item_id\nu1,\"i1\n"), InteractionFormat.CSV, 2, "unclosed double quote in field 2");
        assertBadLine(write("d.csv", "user,item_id\nu1,i1\n"), InteractionFormat.CSV, 1,
            "--user-column [user_id]: no such column; the header has [user, item_id]");
        assertBadLine(write("e.csv", ""), InteractionFormat.CSV, 1, "expected a header row");
        assertBadLine(write("f.data", "1\t2\tNaN\t4\n"), InteractionFormat.MOVIELENS_100K, 1, "rating [NaN] in field 3 is not a finite number");
    }

    /**
     * A rating or timestamp column the user named is required at the header, so a misspelling stops the load on line
     * 1, even with {@code --skip-bad-lines}; not named, the same header reads as a file without that column.
     */
    @Test
    void aNamedRatingOrTimestampColumnIsRequiredAtTheHeader() throws IOException {
        Path file = write("plays.csv", "user_id,item_id,stars,time\nu1,i1,5,100\nu1,i2\n");
        LoadOptions skip = new LoadOptions(Double.NEGATIVE_INFINITY, true);
        CsvOptions optional = new CsvOptions(',', "user_id", "item_id", "rating", "timestamp");
        LoadResult r = new InteractionLoader(file, InteractionFormat.CSV, optional, skip).load();
        assertFalse(r.hasRatings() || r.hasTimestamps());
        assertEquals(1, r.skippedBadLines(), "the rows were read");

        CsvOptions rating = new CsvOptions(',', "user_id", "item_id", "rating", "time", true, false);
        InteractionFileException e = assertThrows(InteractionFileException.class,
            () -> new InteractionLoader(file, InteractionFormat.CSV, rating, skip).load());
        assertEquals(file + ":1: --rating-column [rating]: no such column; the header has [user_id, item_id, stars, time]", e.getMessage());
        CsvOptions timestamp = new CsvOptions(',', "user_id", "item_id", "stars", "timestamp", false, true);
        e = assertThrows(InteractionFileException.class, () -> new InteractionLoader(file, InteractionFormat.CSV, timestamp, skip).load());
        assertEquals(file + ":1: --timestamp-column [timestamp]: no such column; the header has [user_id, item_id, stars, time]", e.getMessage());

        CsvOptions both = new CsvOptions(',', "user_id", "item_id", "stars", "time", true, true);
        r = new InteractionLoader(file, InteractionFormat.CSV, both, skip).load();
        assertTrue(r.hasRatings() && r.hasTimestamps());
        assertEquals(5f, r.interactions().rating(0));
        assertEquals(100L, r.interactions().timestamp(0));
    }

    @Test
    void skipBadLinesCountsAndRemembersTheFirst() throws IOException {
        Path file = write("ratings.dat", "1::10::5::1\nbroken\n2::10::4::2\n3::x\n3::11::1::3\n");
        LoadResult r = load(file, InteractionFormat.MOVIELENS_1M, new LoadOptions(Double.NEGATIVE_INFINITY, true));
        assertEquals(3, r.interactions().size());
        assertEquals(2, r.skippedBadLines());
        assertEquals(5, r.dataLines());
        assertEquals(file + ":2: expected 4 fields separated by '::' but found 1", r.firstBadLine());
    }

    @Test
    void minRatingKeepsOnlyPositiveFeedback() throws IOException {
        Path file = write("u.data", "1\t10\t5\t1\n1\t11\t2\t2\n2\t10\t4\t3\n2\t12\t3.5\t4\n");
        LoadResult r = load(file, InteractionFormat.MOVIELENS_100K, new LoadOptions(4, false));
        assertEquals(2, r.interactions().size());
        assertEquals(2, r.belowMinRating());
        assertEquals(1, r.interactions().items().size(), "items only seen below the threshold are not interned");
        assertEquals(0, r.skippedBadLines());
        assertNull(r.firstBadLine());
    }

    @Test
    void minRatingWithoutRatingColumnIsRefused() throws IOException {
        Path file = write("n.csv", "user_id,item_id\nu1,i1\n");
        InteractionFileException e = assertThrows(InteractionFileException.class, () -> load(file, InteractionFormat.CSV, new LoadOptions(3, false)));
        assertTrue(e.getMessage().contains("--min-rating needs a rating column"), e.getMessage());
    }

    @Test
    void nothingUsableIsAnError() throws IOException {
        Path file = write("u.data", "1\t10\t1\t1\n");
        InteractionFileException e = assertThrows(InteractionFileException.class, () -> load(file, InteractionFormat.MOVIELENS_100K, new LoadOptions(4, false)));
        assertTrue(e.getMessage().endsWith("no usable interactions (1 data lines, 0 malformed, 1 below --min-rating)"), e.getMessage());
    }

    @Test
    void missingFileIsReportedAsSuch() {
        assertThrows(NoSuchFileException.class, () -> load(dir.resolve("nope.csv"), InteractionFormat.CSV, LoadOptions.STRICT));
    }

    @Test
    void formatIsDetectedFromTheFileName() {
        assertEquals(InteractionFormat.MOVIELENS_100K, InteractionFormat.detect(Path.of("/data/ml-100k/u.data")));
        assertEquals(InteractionFormat.MOVIELENS_100K, InteractionFormat.detect(Path.of("u1.base")));
        assertEquals(InteractionFormat.MOVIELENS_100K, InteractionFormat.detect(Path.of("ua.test")));
        assertEquals(InteractionFormat.MOVIELENS_1M, InteractionFormat.detect(Path.of("ml-1m/ratings.dat")));
        assertEquals(InteractionFormat.MOVIELENS_20M, InteractionFormat.detect(Path.of("ml-20m/ratings.csv")));
        assertEquals(InteractionFormat.CSV, InteractionFormat.detect(Path.of("x/events.csv")));
        assertEquals(InteractionFormat.LASTFM, InteractionFormat.detect(Path.of("hetrec2011-lastfm-2k/user_artists.dat")));
        assertEquals(InteractionFormat.NCF_RATING, InteractionFormat.detect(Path.of("ml-1m.train.rating")));
        assertEquals(InteractionFormat.NCF_RATING, InteractionFormat.detect(Path.of("pinterest-20.test.rating")));
        assertEquals(InteractionFormat.JSONL, InteractionFormat.detect(Path.of("events.jsonl")));
        assertEquals(InteractionFormat.JSONL, InteractionFormat.detect(Path.of("events.NDJSON")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InteractionFormat.detect(Path.of("ml-1m.test.negative")))
            .getMessage().contains("is an NCF negatives file"));
        assertEquals(InteractionFormat.CSV, InteractionFormat.detect(Path.of("x.TSV")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InteractionFormat.detect(Path.of("plays.parquet")));
        assertEquals("cannot tell the format of plays.parquet from its name; pass --format with one of [ml-100k, ml-1m, ml-20m, lastfm, ncf-rating, jsonl, csv]", e.getMessage());
        assertEquals(InteractionFormat.MOVIELENS_1M, InteractionFormat.fromName("ML-1M"));
        assertEquals(InteractionFormat.NCF_RATING, InteractionFormat.fromName("ncf-rating"));
        assertThrows(IllegalArgumentException.class, () -> InteractionFormat.fromName("parquet"));
    }

    @Test
    void csvWriterOutputReadsBack() throws IOException {
        Path file = dir.resolve("sub/dir/out.csv");
        try (InteractionCsvWriter w = new InteractionCsvWriter(file)) {
            w.write("u1", "i,1", 4, 100);
            w.write("u\"2", "i2", 2.5f, 101);
        }
        assertEquals(InteractionCsvWriter.HEADER + "\nu1,\"i,1\",4,100\n\"u\"\"2\",i2,2.5,101\n", Files.readString(file).replace("\r\n", "\n"));
        Interactions log = load(file, InteractionFormat.CSV, LoadOptions.STRICT).interactions();
        assertEquals("i,1", log.items().id(log.item(0)));
        assertEquals("u\"2", log.users().id(log.user(1)));
        assertEquals(2.5f, log.rating(1));
    }

    @Test
    void reportsTheBytesItReadWhileReadingNotOnlyAtTheEnd() throws IOException {
        StringBuilder rows = new StringBuilder("user_id,item_id,rating,timestamp\n");
        for (int i = 0; i < 50_000; i++) {
            rows.append('u').append(i % 997).append(",i").append(i % 1_009).append(",4,").append(1_000_000 + i).append('\n');
        }
        Path file = write("big.csv", rows.toString());
        List<Long> reads = new ArrayList<>();
        LoadResult r = new InteractionLoader(file, InteractionFormat.CSV, CsvOptions.DEFAULTS, LoadOptions.STRICT).load(reads::add);
        assertEquals(50_000, r.interactions().size());
        assertEquals(Files.size(file), reads.stream().mapToLong(Long::longValue).sum(), "every byte, once");
        assertTrue(reads.size() >= 10, "reported as the file is read, a buffer at a time: " + reads.size() + " reports of " + Files.size(file) + " bytes");
        assertTrue(reads.stream().allMatch(n -> n > 0), reads.toString());
    }

    private static LoadResult load(Path file, InteractionFormat format, LoadOptions options) throws IOException {
        return new InteractionLoader(file, format, CsvOptions.DEFAULTS, options).load();
    }

    private static void assertBadLine(Path file, InteractionFormat format, long line, String problem) {
        InteractionFileException e = assertThrows(InteractionFileException.class, () -> load(file, format, LoadOptions.STRICT));
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": " + problem), e.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        Path sub = Files.createTempDirectory(dir, "f");
        return Files.writeString(sub.resolve(name), content, StandardCharsets.UTF_8);
    }
}
