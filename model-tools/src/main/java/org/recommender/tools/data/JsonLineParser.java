package org.recommender.tools.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Locale;

/**
 * Parses JSON lines ({@code .jsonl} / {@code .ndjson}): one object per line, fields named as the CSV columns are
 * ({@link CsvOptions}, delimiter unused). Ids may be strings or whole numbers; rating and timestamp may be numbers
 * or numeric strings.
 *
 * <p>Rating and timestamp are optional, but the <em>first</em> good record decides for the whole file, like a CSV
 * header: a later record that lacks a field the first one had, or has one the first lacked, is malformed. Mixing
 * real timestamps with line numbers (the stand-in for a missing timestamp) would silently scramble "latest", and
 * mixing real ratings with the stand-in 1 would do the same to {@code --min-rating}. A {@code null} value counts as
 * absent. A rating or timestamp field the user named ({@link CsvOptions#ratingRequired()},
 * {@link CsvOptions#timestampRequired()}) is required in every record, as the ids are.
 */
final class JsonLineParser implements LineParser {
    // trailing tokens ("{...} {...}" on one line) would otherwise be silently ignored
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final CsvOptions names;
    private Boolean hasRatings;
    private Boolean hasTimestamps;
    private long firstRecordLine;

    JsonLineParser(CsvOptions names) {
        this.names = names;
    }

    @Override
    public boolean hasHeader() {
        return false;
    }

    @Override
    public void header(String line) {
        throw new UnsupportedOperationException("JSON lines have no header");
    }

    @Override
    public ParsedInteraction parse(String line, long lineNo) {
        JsonNode record;
        try {
            record = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            // the original message leaves out Jackson's "at [Source: ...]" trailer, which repeats the whole line
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (record == null || record.isObject() == false) {
            throw new IllegalArgumentException("expected a JSON object but found " + (record == null ? "nothing" : record.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        String user = id(record, names.userColumn(), "--user-column");
        String item = id(record, names.itemColumn(), "--item-column");
        JsonNode ratingNode = names.ratingRequired() ? required(record, names.ratingColumn(), "--rating-column")
            : present(record, names.ratingColumn());
        JsonNode timestampNode = names.timestampRequired() ? required(record, names.timestampColumn(), "--timestamp-column")
            : present(record, names.timestampColumn());
        if (hasRatings != null) {
            requireSameLayout(ratingNode != null, hasRatings, names.ratingColumn());
            requireSameLayout(timestampNode != null, hasTimestamps, names.timestampColumn());
        }
        float rating = ratingNode == null ? 1f : rating(ratingNode);
        long timestamp = timestampNode == null ? lineNo : timestamp(timestampNode);
        if (hasRatings == null) {
            // only a fully good record fixes the layout, so a skipped bad first line cannot decide it
            hasRatings = ratingNode != null;
            hasTimestamps = timestampNode != null;
            firstRecordLine = lineNo;
        }
        return new ParsedInteraction(user, item, rating, timestamp);
    }

    private void requireSameLayout(boolean here, boolean first, String field) {
        if (here != first) {
            throw new IllegalArgumentException(
                (here ? "has" : "lacks") + " field [" + field + "] but the first record (line " + firstRecordLine + ") "
                    + (first ? "has" : "lacks") + " it; every record must have it or none"
            );
        }
    }

    private static JsonNode present(JsonNode record, String field) {
        JsonNode node = record.get(field);
        return node == null || node.isNull() ? null : node;
    }

    /** @throws IllegalArgumentException naming the option that chose the field, when the record lacks it */
    private static JsonNode required(JsonNode record, String field, String option) {
        JsonNode node = present(record, field);
        if (node == null) {
            throw new IllegalArgumentException("no field [" + field + "] (choose with " + option + ")");
        }
        return node;
    }

    private static String id(JsonNode record, String field, String option) {
        JsonNode node = required(record, field, option);
        String id;
        if (node.isTextual()) {
            id = node.textValue();
        } else if (node.isIntegralNumber()) {
            id = node.asText(); // 42 and "42" are the same id, as in a CSV file
        } else {
            throw new IllegalArgumentException("field [" + field + "] must be a string or a whole number but is " + node);
        }
        if (id.isEmpty()) {
            throw new IllegalArgumentException("empty id in field [" + field + "]");
        }
        return id;
    }

    private float rating(JsonNode node) {
        float rating = Float.NaN;
        if (node.isNumber()) {
            rating = node.floatValue();
        } else if (node.isTextual()) {
            try {
                rating = Float.parseFloat(node.textValue());
            } catch (NumberFormatException e) {
                // stays NaN: reported below
            }
        }
        if (Float.isFinite(rating) == false) {
            throw new IllegalArgumentException("rating " + node + " in field [" + names.ratingColumn() + "] is not a finite number");
        }
        return rating;
    }

    private long timestamp(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().strip());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("timestamp " + node + " in field [" + names.timestampColumn() + "] is not a whole number");
    }

    @Override
    public boolean hasRatings() {
        return hasRatings;
    }

    @Override
    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    @Override
    public String missingRatingReason() {
        return "the first record (line " + firstRecordLine + ") has no field [" + names.ratingColumn() + "]";
    }
}
