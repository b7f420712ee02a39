package org.recommender.tools.data;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Reads an interaction log in one of the {@link InteractionFormat}s. The loader owns the reading loop (line numbers,
 * blank lines, bad-line handling, the rating filter); a {@link LineParser} per family of formats knows the syntax.
 * A malformed line fails the load with an {@link InteractionFileException} naming the file and line, unless
 * {@link LoadOptions#skipBadLines()} asks to skip and count such lines.
 */
public final class InteractionLoader {
    /** The fixed header names of MovieLens 20M / latest {@code ratings.csv}. */
    static final CsvOptions MOVIELENS_20M_COLUMNS = new CsvOptions(',', "userId", "movieId", "rating", "timestamp");
    /** The fixed header names of Last.fm {@code user_artists.dat}; it has no timestamp. */
    static final CsvOptions LASTFM_COLUMNS = new CsvOptions('\t', "userID", "artistID", "weight", null);

    private final Path file;
    private final InteractionFormat format;
    private final CsvOptions csv;
    private final LoadOptions options;

    /**
     * @param file the file to read
     * @param format its format
     * @param csv delimiter and column names; used only for {@link InteractionFormat#CSV} and (names only)
     *     {@link InteractionFormat#JSONL}; the other formats fix their own
     * @param options rating filter and bad-line handling
     */
    public InteractionLoader(Path file, InteractionFormat format, CsvOptions csv, LoadOptions options) {
        this.file = file;
        this.format = format;
        this.csv = csv;
        this.options = options;
    }

    private LineParser parser() {
        return switch (format) {
            case MOVIELENS_100K, NCF_RATING -> DelimitedLineParser.fixed(file, new LiteralSplitter("\t"), ColumnLayout.MOVIELENS);
            case MOVIELENS_1M -> DelimitedLineParser.fixed(file, new LiteralSplitter("::"), ColumnLayout.MOVIELENS);
            case MOVIELENS_20M -> DelimitedLineParser.withFixedHeader(file, new CsvSplitter(','), MOVIELENS_20M_COLUMNS, format.externalName());
            case LASTFM -> DelimitedLineParser.withFixedHeader(file, new LiteralSplitter("\t"), LASTFM_COLUMNS, format.externalName());
            case JSONL -> new JsonLineParser(csv);
            case CSV -> DelimitedLineParser.withHeader(file, new CsvSplitter(csv.delimiter()), csv);
        };
    }

    /**
     * Reads the whole file.
     *
     * @throws InteractionFileException for a malformed line (unless skipped), a header without the required
     *     columns, or a file with no usable interaction
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     */
    public LoadResult load() throws IOException {
        return load(bytes -> {});
    }

    /**
     * Reads the whole file, as {@link #load()}, telling {@code bytesRead} how many more bytes of it were read after
     * each read from the disk (a buffer of a few KB, not a line: cheap enough for tens of millions of rows). The
     * amounts add up to the file's size once it is read to the end.
     */
    public LoadResult load(LongConsumer bytesRead) throws IOException {
        LineParser parser = parser();
        Interactions.Builder rows = new Interactions.Builder();
        long lineNo = 0;
        long dataLines = 0;
        long skipped = 0;
        long belowMin = 0;
        String firstBad = null;
        boolean ratingsChecked = false;
        try (BufferedReader in = reader(bytesRead)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                line = clean(line, lineNo);
                if (lineNo == 1 && parser.hasHeader()) {
                    parser.header(line);
                    ratingsChecked = true;
                    requireRatingsIfFiltering(parser, lineNo);
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                dataLines++;
                try {
                    LineParser.ParsedInteraction row = parser.parse(line, lineNo);
                    if (ratingsChecked == false) {
                        // formats without a header learn their layout from the first good record
                        ratingsChecked = true;
                        requireRatingsIfFiltering(parser, lineNo);
                    }
                    if (row.rating() < options.minRating()) {
                        belowMin++;
                    } else {
                        rows.add(row.user(), row.item(), row.rating(), row.timestamp());
                    }
                } catch (IllegalArgumentException bad) {
                    InteractionFileException e = new InteractionFileException(file, lineNo, bad.getMessage());
                    if (options.skipBadLines() == false) {
                        throw e;
                    }
                    skipped++;
                    if (firstBad == null) {
                        firstBad = e.getMessage();
                    }
                }
            }
        }
        if (lineNo == 0 && parser.hasHeader()) {
            parser.header(""); // an empty file: report the missing header
        }
        if (rows.size() == 0) {
            throw new InteractionFileException(
                file,
                lineNo,
                "no usable interactions (" + dataLines + " data lines, " + skipped + " malformed, " + belowMin + " below --min-rating)"
            );
        }
        return new LoadResult(rows.build(), format, dataLines, skipped, firstBad, belowMin, parser.hasRatings(), parser.hasTimestamps());
    }

    /** As {@link Files#newBufferedReader}: UTF-8 that fails on malformed input; counting the bytes it reads. */
    private BufferedReader reader(LongConsumer bytesRead) throws IOException {
        // the reader asks for buffers of a few KB, so counting each read costs nothing per line
        InputStream counted = new FilterInputStream(Files.newInputStream(file)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesRead.accept(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    bytesRead.accept(n);
                }
                return n;
            }
        };
        return new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()));
    }

    /**
     * Refuses {@code --min-rating} on a file without ratings: every rating would be the stand-in 1, so the filter
     * would keep all or nothing without saying why.
     */
    private void requireRatingsIfFiltering(LineParser parser, long lineNo) throws InteractionFileException {
        if (options.filtersRatings() && parser.hasRatings() == false) {
            throw new InteractionFileException(file, lineNo, "--min-rating needs a rating column but " + parser.missingRatingReason());
        }
    }

    private static String clean(String line, long lineNo) {
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1); // a UTF-8 byte-order mark, as spreadsheet exports write
        }
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
