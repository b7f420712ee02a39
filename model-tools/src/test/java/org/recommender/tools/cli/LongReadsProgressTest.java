package org.recommender.tools.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recommender.core.io.EmbeddingWriter;
import org.recommender.tools.data.CsvOptions;
import org.recommender.tools.data.InteractionFormat;
import org.recommender.tools.data.InteractionLoader;
import org.recommender.tools.data.LoadOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading a large interactions or vectors file leaves lines in a log saying how far it got, as the training bars do;
 * a small file adds none. The clock moves a second at each look, as if every read were slow.
 */
class LongReadsProgressTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final StringWriter log = new StringWriter();
    private final AtomicLong now = new AtomicLong();
    private final LongSupplier slowClock = () -> now.addAndGet(SECOND);

    @Test
    void loadingALargeInteractionsFileSaysHowManyMegabytesAreRead() throws IOException {
        Path file = interactions("ratings.csv", 150_000);
        long megabytes = Files.size(file) / 1_000_000;
        try (ProgressDisplay progress = ProgressDisplay.lines("loading ratings.csv", Files.size(file), ProgressDisplay.Unit.MEGABYTES,
            new PrintWriter(log), slowClock)) {
            new InteractionLoader(file, InteractionFormat.CSV, CsvOptions.DEFAULTS, LoadOptions.STRICT).load(progress::step);
        }
        assertRising("loading ratings.csv: (\\d+)% \\((\\d+) of " + megabytes + " MB\\)");
    }

    @Test
    void checkingALargeVectorsFileSaysHowManyVectorsAreRead() throws IOException {
        Path file = dir.resolve("users.jsonl");
        try (EmbeddingWriter w = new EmbeddingWriter(file, 4)) {
            for (int i = 0; i < 2_000; i++) {
                w.write("u" + i, new float[] { i, 1, 2, 3 });
            }
        }
        try (ProgressDisplay progress = ProgressDisplay.lines("checking users.jsonl", 2_000, ProgressDisplay.Unit.of("vectors"),
            new PrintWriter(log), slowClock)) {
            IndexCommand.checkVectors(new IndexJob.Target("users", "users", "user_id", file, 2_000), 4, null, progress);
        }
        assertRising("checking users.jsonl: (\\d+)% \\(([\\d,]+) of 2,000 vectors\\)");
    }

    @Test
    void aSmallFileAddsNoLine() throws IOException {
        Path file = interactions("small.csv", 100);
        try (ProgressDisplay progress = ProgressDisplay.lines("loading small.csv", Files.size(file), ProgressDisplay.Unit.MEGABYTES,
            new PrintWriter(log), slowClock)) {
            new InteractionLoader(file, InteractionFormat.CSV, CsvOptions.DEFAULTS, LoadOptions.STRICT).load(progress::step);
        }
        assertEquals("", log.toString());
    }

    private Path interactions(String name, int rows) throws IOException {
        StringBuilder b = new StringBuilder("user_id,item_id,rating,timestamp\n");
        for (int i = 0; i < rows; i++) {
            b.append('u').append(i % 997).append(",i").append(i % 1_009).append(",4,").append(1_000_000 + i).append('\n');
        }
        return Files.writeString(dir.resolve(name), b);
    }

    /** Many lines, each of {@code format} (percent, count), the percent never falling and reaching past half. */
    private void assertRising(String format) {
        List<String> lines = log.toString().lines().toList();
        assertTrue(lines.size() >= 10, "a line every few slow reads: " + lines);
        Pattern pattern = Pattern.compile(format);
        int last = -1;
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            assertTrue(m.matches(), line + " is not like " + format);
            int percent = Integer.parseInt(m.group(1));
            assertTrue(percent >= last, lines.toString());
            last = percent;
        }
        assertTrue(last > 50, lines.toString());
    }
}
