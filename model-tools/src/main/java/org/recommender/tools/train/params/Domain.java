package org.recommender.tools.train.params;

/**
 * The values one hyper-parameter may take: how its text is read, which values are in range, and how the range reads
 * in {@code --help}. Messages are completed by {@link HyperParameter}, which puts the option in front.
 *
 * @param <T> the value type
 */
interface Domain<T> {
    /**
     * @param text the value as typed, trimmed
     * @return the value, not yet range-checked
     * @throws IllegalArgumentException with the problem only, e.g. {@code must be a number but was [x]}
     */
    T parse(String text);

    /** @return why {@code value} is out of range, e.g. {@code must be in (0, 10] but was 20.0}, or null when it is in range */
    String violation(T value);

    /** @return the range as {@code --help} shows it, e.g. {@code (0, 10]} or {@code binary|linear|log} */
    String describe();

    /** @return {@code value} as a user would type it, e.g. {@code 32,16} for a list */
    default String format(T value) {
        return String.valueOf(value);
    }
}
