package org.recommender.tools.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads an interaction log in one of the {@link InteractionFormat}s. Every format is a delimited text file; they
 * differ only in the delimiter, quoting and whether a header names the columns, so one loader serves all of them.
 * A malformed line fails the load with an {@link InteractionFileException} naming the file and line, unless
 * {@link LoadOptions#skipBadLines()} asks to skip and count such lines.
 */
public final class InteractionLoader {
    private final Path file;
    private final InteractionFormat format;
    private final CsvOptions csv;
    private final LoadOptions options;
    private final LineSplitter splitter;

    /**
     * @param file the file to read
     * @param format its format
     * @param csv delimiter and column names; used only for {@link InteractionFormat#CSV}
     * @param options rating filter and bad-line handling
     */
    public InteractionLoader(Path file, InteractionFormat format, CsvOptions csv, LoadOptions options) {
        this.file = file;
        this.format = format;
        this.csv = csv;
        this.options = options;
        this.splitter = switch (format) {
            case MOVIELENS_100K -> new LiteralSplitter("\t");
            case MOVIELENS_1M -> new LiteralSplitter("::");
            case CSV -> new CsvSplitter(csv.delimiter());
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
        Interactions.Builder rows = new Interactions.Builder();
        long lineNo = 0;
        long dataLines = 0;
        long skipped = 0;
        long belowMin = 0;
        String firstBad = null;
        ColumnLayout layout = ColumnLayout.MOVIELENS;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (format == InteractionFormat.CSV) {
                layout = readHeader(in.readLine());
                lineNo++;
            }
            if (options.filtersRatings() && layout.rating() == ColumnLayout.ABSENT) {
                throw new InteractionFileException(file, 1, "--min-rating needs a rating column but the header has no column [" + csv.ratingColumn() + "]");
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                dataLines++;
                try {
                    if (parseInto(rows, layout, line, lineNo) == false) {
                        belowMin++;
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
        if (rows.size() == 0) {
            throw new InteractionFileException(
                file,
                lineNo,
                "no usable interactions (" + dataLines + " data lines, " + skipped + " malformed, " + belowMin + " below --min-rating)"
            );
        }
        return new LoadResult(
            rows.build(),
            format,
            dataLines,
            skipped,
            firstBad,
            belowMin,
            layout.rating() != ColumnLayout.ABSENT,
            layout.timestamp() != ColumnLayout.ABSENT
        );
    }

    private ColumnLayout readHeader(String header) throws InteractionFileException {
        if (header == null || header.isBlank()) {
            throw new InteractionFileException(file, 1, "expected a header row naming the columns, e.g. user_id,item_id,rating,timestamp");
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1); // a UTF-8 byte-order mark, as spreadsheet exports write
        }
        try {
            return ColumnLayout.fromHeader(splitter.split(stripCarriageReturn(header)), csv, file);
        } catch (IllegalArgumentException e) {
            throw new InteractionFileException(file, 1, e.getMessage());
        }
    }

    /**
     * Parses one data line and appends it unless its rating is below the minimum.
     *
     * @return whether the line was kept
     * @throws IllegalArgumentException describing what is wrong with the line
     */
    private boolean parseInto(Interactions.Builder rows, ColumnLayout layout, String line, long lineNo) {
        List<String> fields = splitter.split(stripCarriageReturn(line));
        if (fields.size() != layout.fieldCount()) {
            throw new IllegalArgumentException(
                "expected " + layout.fieldCount() + " fields separated by " + splitter.describe() + " but found " + fields.size()
            );
        }
        String user = requireId(fields, layout.user(), "user");
        String item = requireId(fields, layout.item(), "item");
        float rating = 1f;
        if (layout.rating() != ColumnLayout.ABSENT) {
            String text = fields.get(layout.rating());
            try {
                rating = Float.parseFloat(text);
            } catch (NumberFormatException e) {
                rating = Float.NaN;
            }
            if (Float.isFinite(rating) == false) {
                throw new IllegalArgumentException("rating [" + text + "] in field " + (layout.rating() + 1) + " is not a finite number");
            }
        }
        long timestamp = lineNo; // without timestamps, file order decides what is "latest"
        if (layout.timestamp() != ColumnLayout.ABSENT) {
            String text = fields.get(layout.timestamp());
            try {
                timestamp = Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("timestamp [" + text + "] in field " + (layout.timestamp() + 1) + " is not a whole number");
            }
        }
        if (rating < options.minRating()) {
            return false;
        }
        rows.add(user, item, rating, timestamp);
        return true;
    }

    private static String requireId(List<String> fields, int column, String what) {
        String id = fields.get(column);
        if (id.isEmpty()) {
            throw new IllegalArgumentException("empty " + what + " id in field " + (column + 1));
        }
        return id;
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
