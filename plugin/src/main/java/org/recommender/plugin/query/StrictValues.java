package org.recommender.plugin.query;

import org.opensearch.core.common.Strings;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one request value of exactly the expected JSON type, or refuses it with a message naming the field: no
 * silent truncation of {@code 2.5} to {@code 2}, no numbers from strings, no booleans from {@code "yes"}.
 */
public final class StrictValues {
    private StrictValues() {}

    /** @return a non-empty string */
    public static String text(XContentParser parser, String name) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
            throw new IllegalArgumentException("[" + name + "] must be a string");
        }
        String value = parser.text();
        if (Strings.isNullOrEmpty(value)) {
            throw new IllegalArgumentException("[" + name + "] must not be empty");
        }
        return value;
    }

    /** @return a whole number that fits an int */
    public static int integer(XContentParser parser, String name) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
            throw new IllegalArgumentException("[" + name + "] must be an integer");
        }
        XContentParser.NumberType type = parser.numberType();
        if (type != XContentParser.NumberType.INT && type != XContentParser.NumberType.LONG) {
            throw new IllegalArgumentException("[" + name + "] must be an integer but was " + parser.text());
        }
        long value = parser.longValue();
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new IllegalArgumentException("[" + name + "] is out of range: " + value);
        }
        return (int) value;
    }

    /** @return a finite number */
    public static float number(XContentParser parser, String name) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
            throw new IllegalArgumentException("[" + name + "] must be a number");
        }
        float value = parser.floatValue();
        if (Float.isFinite(value) == false) {
            throw new IllegalArgumentException("[" + name + "] must be finite but was " + parser.text());
        }
        return value;
    }

    /**
     * @param max the most strings the array may hold, counted as they are read: a list refused only after it was
     *     parsed whole could hold a request body's worth of strings (100 MB of short ids is some 25 million, about
     *     1.6 GB of heap) outside any breaker first
     * @return the non-empty strings of an array (possibly empty itself)
     * @throws IllegalArgumentException naming the field once it holds more than {@code max}
     */
    public static List<String> texts(XContentParser parser, String name, int max) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw new IllegalArgumentException("[" + name + "] must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            if (out.size() == max) {
                throw new IllegalArgumentException("[" + name + "] lists more than " + max + " ids but at most " + max + " are allowed");
            }
            out.add(text(parser, name + "][" + out.size()));
        }
        return out;
    }

    /** @return {@code true} or {@code false}, written as such */
    public static boolean bool(XContentParser parser, String name) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_BOOLEAN) {
            throw new IllegalArgumentException("[" + name + "] must be true or false");
        }
        return parser.booleanValue();
    }
}
