package org.recommender.tools.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options that say how an interactions file is read, as {@code train} (and every command with {@code --data}) takes them. */
class InteractionFileOptionsTest {
    @TempDir
    Path dir;

    private CliRun train(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--algorithm", "popularity", "--holdout", "none", "--data", data.toString(),
            "--out", dir.resolve("model").toString(), "-q"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    /**
     * A column option naming a column the header lacks is refused at the header, naming the option, the value and
     * the header's columns: the rows are never read. Line 2 is malformed, so a load that went on past the header
     * (a misspelt rating or timestamp column was refused only once the whole file had been read) stops there
     * instead, with another message.
     */
    @Test
    void aColumnTheHeaderLacksIsRefusedAtTheHeader() throws IOException {
        Path csv = Files.writeString(dir.resolve("plays.csv"), "user,item,rating,time\nu1,i1\nu1,i2,4,2\n");
        List<String> columns = List.of("--rating-column", "rating", "--timestamp-column", "time", "--user-column", "user", "--item-column", "item");
        for (int option = 0; option < columns.size(); option += 2) {
            List<String> args = new ArrayList<>(columns);
            String misspelt = columns.get(option + 1) + "x";
            args.set(option + 1, misspelt);
            CliRun r = train(csv, args.toArray(String[]::new));
            assertEquals(2, r.code(), r.err());
            assertEquals("model-tools train: error: " + csv + ":1: " + columns.get(option) + " [" + misspelt
                + "]: no such column; the header has [user, item, rating, time]", r.errLine());
        }
        // the rating and timestamp columns are optional in the file only while they are not named
        Path noTime = Files.writeString(dir.resolve("no-time.csv"), "user_id,item_id,rating\nu1,i1,4\nu1,i2,5\nu2,i1,3\n");
        assertEquals(0, train(noTime).code());
        CliRun named = train(noTime, "--timestamp-column", "timestamp");
        assertEquals(2, named.code(), named.err());
        assertTrue(named.errLine().endsWith(noTime + ":1: --timestamp-column [timestamp]: no such column; the header has [user_id, item_id, rating]"),
            named.errLine());
    }

    /** A format whose layout is fixed refuses the options that would choose another, rather than ignoring them. */
    @Test
    void aFixedFormatRefusesTheColumnOptions() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("ml-100k"));
        Path udata = Files.writeString(sub.resolve("u.data"), "1\t10\t5\t100\n1\t11\t4\t101\n2\t10\t3\t102\n2\t12\t5\t103\n");
        assertEquals(0, train(udata).code(), "the file itself is fine");
        for (String option : List.of("--user-column", "--item-column", "--rating-column", "--timestamp-column", "--delimiter")) {
            CliRun r = train(udata, option, "x");
            assertEquals(2, r.code(), option + ": " + r.err());
            assertTrue(r.errLine().contains(option + " does not apply to --format ml-100k (detected from the name u.data): its columns are fixed"),
                r.errLine());
            assertTrue(r.errLine().contains("--format csv"), r.errLine());
        }
        Path lastfm = Files.writeString(dir.resolve("user_artists.dat"), "userID\tartistID\tweight\n2\t51\t13883\n2\t52\t11690\n3\t51\t100\n");
        CliRun ratings = train(lastfm, "--rating-column", "weight");
        assertEquals(2, ratings.code(), ratings.err());
        assertTrue(ratings.errLine().contains("--rating-column does not apply to --format lastfm"), ratings.errLine());
        CliRun given = train(lastfm, "--format", "lastfm", "--min-rating", "100", "--user-column", "userID");
        assertEquals(2, given.code(), given.err());
        assertTrue(given.errLine().contains("--user-column does not apply to --format lastfm: its columns are fixed"), given.errLine());

        // JSON lines name their fields with the column options, but have no delimiter
        Path jsonl = Files.writeString(dir.resolve("plays.jsonl"), "{\"user_id\":\"u1\",\"item_id\":\"i1\"}\n{\"user_id\":\"u2\",\"item_id\":\"i1\"}\n"
            + "{\"user_id\":\"u2\",\"item_id\":\"i2\"}\n");
        assertEquals(0, train(jsonl, "--user-column", "user_id").code());
        CliRun delimiter = train(jsonl, "--delimiter", ";");
        assertEquals(2, delimiter.code(), delimiter.err());
        assertTrue(delimiter.errLine().contains("--delimiter does not apply to --format jsonl"), delimiter.errLine());
    }
}
