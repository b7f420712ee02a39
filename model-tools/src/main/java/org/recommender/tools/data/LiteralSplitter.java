package org.recommender.tools.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits on a literal delimiter with no quoting, as the MovieLens {@code u.data} (tab) and {@code ratings.dat}
 * ({@code ::}) files need.
 */
public final class LiteralSplitter implements LineSplitter {
    private final String delimiter;

    /** @param delimiter the exact text between fields */
    public LiteralSplitter(String delimiter) {
        if (delimiter.isEmpty()) {
            throw new IllegalArgumentException("delimiter must not be empty");
        }
        this.delimiter = delimiter;
    }

    @Override
    public List<String> split(String line) {
        List<String> fields = new ArrayList<>(4);
        int from = 0;
        for (int at = line.indexOf(delimiter); at >= 0; at = line.indexOf(delimiter, from)) {
            fields.add(line.substring(from, at));
            from = at + delimiter.length();
        }
        fields.add(line.substring(from));
        return fields;
    }

    @Override
    public String describe() {
        return delimiter.equals("\t") ? "tab" : "'" + delimiter + "'";
    }
}
