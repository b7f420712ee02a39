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

/** The formats whose layout is fixed by the data set: Last.fm hetrec2011, NCF rating files, MovieLens 20M CSV. */
class FixedLayoutFormatsTest {
    private static final LoadOptions SKIP = new LoadOptions(Double.NEGATIVE_INFINITY, true);

    @TempDir
    Path dir;

    @Test
    void lastfmReadsWeightAsRatingAndLineOrderAsTime() throws IOException {
        Path file = write("user_artists.dat", "userID\tartistID\tweight\n2\t51\t13883\n2\t52\t11690\n3\t51\t1\n");
        LoadResult r = load(file, InteractionFormat.detect(file), LoadOptions.STRICT);
        Interactions log = r.interactions();
        assertEquals(InteractionFormat.LASTFM, r.format());
        assertEquals(3, log.size());
        assertEquals(2, log.users().size());
        assertEquals(2, log.items().size());
        assertEquals("52", log.items().id(log.item(1)));
        assertEquals(13883f, log.rating(0), "play count is the confidence");
        assertEquals(2L, log.timestamp(0), "no timestamp: line numbers, header being line 1");
        assertEquals(4L, log.timestamp(2));
        assertTrue(r.hasRatings());
        assertFalse(r.hasTimestamps());
    }

    @Test
    void lastfmMinRatingFiltersOnPlayCount() throws IOException {
        Path file = write("user_artists.dat", "userID\tartistID\tweight\n2\t51\t100\n2\t52\t3\n");
        LoadResult r = load(file, InteractionFormat.LASTFM, new LoadOptions(10, false));
        assertEquals(1, r.interactions().size());
        assertEquals(1, r.belowMinRating());
    }

    @Test
    void lastfmMalformedLinesAndHeader() throws IOException {
        assertBadLine(write("user_artists.dat", "userID\tartistID\tweight\n2\t51\t1\n2\t52\n"), InteractionFormat.LASTFM, 3,
            "expected 3 fields separated by tab but found 2");
        assertBadLine(write("user_artists.dat", "userID\tartistID\tweight\n2\t51\tmany\n"), InteractionFormat.LASTFM, 2,
            "rating [many] in field 3 is not a finite number");
        assertBadLine(write("user_artists.dat", "user\tartist\tplays\n2\t51\t1\n"), InteractionFormat.LASTFM, 1,
            "a lastfm file has a column [userID] but this header is [user, artist, plays] (for other columns use --format csv");
        assertBadLine(write("user_artists.dat", ""), InteractionFormat.LASTFM, 1, "expected a header row naming the columns, e.g. userID\\tartistID\\tweight");
    }

    @Test
    void lastfmSkipsAndCountsBadLines() throws IOException {
        Path file = write("user_artists.dat", "userID\tartistID\tweight\n2\t51\t1\nx\n2\t52\t2\n\t53\t1\n3\t51\t4\n");
        LoadResult r = load(file, InteractionFormat.LASTFM, SKIP);
        assertEquals(3, r.interactions().size());
        assertEquals(2, r.skippedBadLines());
        assertEquals(5, r.dataLines());
        assertEquals(file + ":3: expected 3 fields separated by tab but found 1", r.firstBadLine());
    }

    @Test
    void ncfRatingReadsZeroBasedIdsAsText() throws IOException {
        Path file = write("ml-1m.train.rating", "0\t32\t4\t978824330\n0\t25\t5\t978824351\n1\t32\t3\t978300174\n");
        LoadResult r = load(file, InteractionFormat.detect(file), LoadOptions.STRICT);
        Interactions log = r.interactions();
        assertEquals(InteractionFormat.NCF_RATING, r.format());
        assertEquals(3, log.size());
        assertEquals(2, log.users().size());
        assertEquals(2, log.items().size());
        assertEquals(0, log.items().indexOf("32"), "indices follow first appearance, not the NCF id");
        assertEquals(1, log.items().indexOf("25"));
        assertEquals(5f, log.rating(1));
        assertEquals(978300174L, log.timestamp(2));
        assertTrue(r.hasRatings() && r.hasTimestamps());
    }

    @Test
    void ncfRatingMalformedAndSkipped() throws IOException {
        assertBadLine(write("a.test.rating", "0\t25\t5\t978824351\n1\t133\t3\n"), InteractionFormat.NCF_RATING, 2,
            "expected 4 fields separated by tab but found 3");
        assertBadLine(write("a.test.rating", "0\t25\t5\t97882435.1\n"), InteractionFormat.NCF_RATING, 1,
            "timestamp [97882435.1] in field 4 is not a whole number");
        Path file = write("a.test.rating", "0\t25\t5\t1\n1 133 3 2\n\n2\t7\t1\t3\n");
        LoadResult r = load(file, InteractionFormat.NCF_RATING, SKIP);
        assertEquals(2, r.interactions().size());
        assertEquals(1, r.skippedBadLines());
        assertEquals(file + ":2: expected 4 fields separated by tab but found 1", r.firstBadLine());
    }

    @Test
    void movieLens20mRatingsCsvNeedsNoColumnOptions() throws IOException {
        Path file = write("ratings.csv", "userId,movieId,rating,timestamp\r\n1,2,3.5,1112486027\r\n1,29,3.5,1112484676\r\n\"2\",\"2\",4.0,974820889\r\n");
        // the user's CSV options are deliberately unusual: the fixed MovieLens names must win
        LoadResult r = new InteractionLoader(file, InteractionFormat.detect(file), new CsvOptions(';', "u", "i", "r", "t"), LoadOptions.STRICT).load();
        Interactions log = r.interactions();
        assertEquals(InteractionFormat.MOVIELENS_20M, r.format());
        assertEquals(3, log.size());
        assertEquals(2, log.users().size());
        assertEquals(2, log.items().size());
        assertEquals("2", log.users().id(log.user(2)), "quoted fields are unquoted");
        assertEquals(3.5f, log.rating(1));
        assertEquals(974820889L, log.timestamp(2));
        assertTrue(r.hasRatings() && r.hasTimestamps());
    }

    @Test
    void movieLens20mMalformedAndSkipped() throws IOException {
        assertBadLine(write("ratings.csv", "userId,movieId,rating,timestamp\n1,2,3.5,1\n1,2,\"3.5,1\n"), InteractionFormat.MOVIELENS_20M, 3,
            "unclosed double quote in field 3");
        assertBadLine(write("ratings.csv", "user_id,item_id,rating,timestamp\n1,2,3.5,1\n"), InteractionFormat.MOVIELENS_20M, 1,
            "a ml-20m file has a column [userId] but this header is [user_id, item_id, rating, timestamp]");
        assertBadLine(write("ratings.csv", "userId,movieId,rating\n1,2,3.5\n"), InteractionFormat.MOVIELENS_20M, 1,
            "a ml-20m file has a column [timestamp]");
        Path file = write("ratings.csv", "userId,movieId,rating,timestamp\n1,2,3.5,1\n1,2\n1,3,x,2\n2,2,4,3\n");
        LoadResult r = load(file, InteractionFormat.MOVIELENS_20M, SKIP);
        assertEquals(2, r.interactions().size());
        assertEquals(2, r.skippedBadLines());
        assertEquals(file + ":3: expected 4 fields separated by ',' but found 2", r.firstBadLine());
    }

    private static LoadResult load(Path file, InteractionFormat format, LoadOptions options) throws IOException {
        return new InteractionLoader(file, format, CsvOptions.DEFAULTS, options).load();
    }

    static void assertBadLine(Path file, InteractionFormat format, long line, String problem) {
        InteractionFileException e = assertThrows(InteractionFileException.class, () -> load(file, format, LoadOptions.STRICT));
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": " + problem), e.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        Path sub = Files.createTempDirectory(dir, "f");
        return Files.writeString(sub.resolve(name), content, StandardCharsets.UTF_8);
    }
}
