package org.recommender.tools.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line (RFC 4180 quoting: a field may be wrapped in double quotes, and {@code ""} inside it is a
 * quote). Fields are trimmed of surrounding spaces unless quoted. Quoted line breaks are not supported: every record
 * must be on one line, which keeps line numbers in error messages exact.
 */
public final class CsvSplitter implements LineSplitter {
    private final char delimiter;

    /** @param delimiter the field separator, usually {@code ,} (or a tab for TSV) */
    public CsvSplitter(char delimiter) {
        if (delimiter == '"') {
            throw new IllegalArgumentException("the delimiter cannot be a double quote");
        }
        this.delimiter = delimiter;
    }

    @Override
    public List<String> split(String line) {
        List<String> fields = new ArrayList<>(4);
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            // skip leading blanks, then read either a quoted or a plain field
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("unclosed double quote in field " + (fields.size() + 1));
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < line.length() && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < line.length() && line.charAt(i) != delimiter) {
                    throw new IllegalArgumentException("unexpected text after the closing quote of field " + (fields.size() + 1));
                }
                fields.add(field.toString());
            } else {
                int end = line.indexOf(delimiter, i);
                fields.add(line.substring(i, end < 0 ? line.length() : end).strip());
                i = end < 0 ? line.length() : end;
            }
            field.setLength(0);
            if (i >= line.length()) {
                return fields;
            }
            i++; // the delimiter
            if (i == line.length()) {
                fields.add(""); // a trailing delimiter ends with an empty field
                return fields;
            }
        }
    }

    @Override
    public String describe() {
        return delimiter == '\t' ? "tab" : "'" + delimiter + "'";
    }
}
