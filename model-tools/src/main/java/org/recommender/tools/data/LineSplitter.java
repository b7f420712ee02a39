package org.recommender.tools.data;

import java.util.List;

/** Splits one line of a delimited text file into its fields. */
public interface LineSplitter {
    /**
     * @param line one line, without its line terminator
     * @return the fields, in order
     * @throws IllegalArgumentException describing a line that cannot be split (e.g. an unclosed quote)
     */
    List<String> split(String line);

    /** @return how the delimiter is shown in messages, e.g. {@code '::'} */
    String describe();
}
