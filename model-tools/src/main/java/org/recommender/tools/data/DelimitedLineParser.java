package org.recommender.tools.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Parses delimited text lines (MovieLens, Last.fm, NCF, CSV): a {@link LineSplitter} cuts the line into fields and a
 * {@link ColumnLayout} says which field is which. The layout is either fixed by the format or read from a header
 * row; a header may be matched against names the user chose ({@code csv}) or names the format fixes
 * ({@code lastfm}, {@code ml-20m}).
 */
final class DelimitedLineParser implements LineParser {
    private final Path file;
    private final LineSplitter splitter;
    private final CsvOptions headerNames;
    private final String fixedHeaderFormat;
    private ColumnLayout layout;

    private DelimitedLineParser(Path file, LineSplitter splitter, ColumnLayout layout, CsvOptions headerNames, String fixedHeaderFormat) {
        this.file = file;
        this.splitter = splitter;
        this.layout = layout;
        this.headerNames = headerNames;
        this.fixedHeaderFormat = fixedHeaderFormat;
    }

    /** A headerless file whose every line has the given layout. */
    static DelimitedLineParser fixed(Path file, LineSplitter splitter, ColumnLayout layout) {
        return new DelimitedLineParser(file, splitter, layout, null, null);
    }

    /** A file whose header names the columns; the names are the user's choice ({@code --user-column} …). */
    static DelimitedLineParser withHeader(Path file, LineSplitter splitter, CsvOptions names) {
        return new DelimitedLineParser(file, splitter, null, names, null);
    }

    /**
     * A file whose header must carry the names its format defines; every non-null name in {@code names} is required.
     * The header is still read rather than skipped, so a file that only looks like the format fails on line 1
     * instead of being misread.
     */
    static DelimitedLineParser withFixedHeader(Path file, LineSplitter splitter, CsvOptions names, String formatName) {
        return new DelimitedLineParser(file, splitter, null, names, formatName);
    }

    @Override
    public boolean hasHeader() {
        return headerNames != null;
    }

    @Override
    public void header(String line) throws InteractionFileException {
        if (line.isBlank()) {
            throw new InteractionFileException(file, 1, "expected a header row naming the columns, e.g. "
                + (fixedHeaderFormat == null ? "user_id,item_id,rating,timestamp" : expectedHeader()));
        }
        List<String> fields;
        try {
            fields = splitter.split(line);
        } catch (IllegalArgumentException e) {
            throw new InteractionFileException(file, 1, e.getMessage());
        }
        layout = fixedHeaderFormat == null
            ? ColumnLayout.fromHeader(fields, headerNames, file)
            : ColumnLayout.fromFixedHeader(fields, headerNames, fixedHeaderFormat, file);
    }

    private String expectedHeader() {
        return String.join(splitter.describe().equals("tab") ? "\\t" : ",",
            Stream.of(headerNames.userColumn(), headerNames.itemColumn(), headerNames.ratingColumn(), headerNames.timestampColumn())
                .filter(Objects::nonNull).toList());
    }

    @Override
    public ParsedInteraction parse(String line, long lineNo) {
        List<String> fields = splitter.split(line);
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
        return new ParsedInteraction(user, item, rating, timestamp);
    }

    private static String requireId(List<String> fields, int column, String what) {
        String id = fields.get(column);
        if (id.isEmpty()) {
            throw new IllegalArgumentException("empty " + what + " id in field " + (column + 1));
        }
        return id;
    }

    @Override
    public boolean hasRatings() {
        return layout.rating() != ColumnLayout.ABSENT;
    }

    @Override
    public boolean hasTimestamps() {
        return layout.timestamp() != ColumnLayout.ABSENT;
    }

    @Override
    public String missingRatingReason() {
        return "the header has no column [" + headerNames.ratingColumn() + "]";
    }
}
