package org.recommender.core.encoder;

/** The argument checks every {@link UserEncoder#encode} makes, with one wording. */
final class Histories {
    private Histories() {}

    static void check(String type, float[][] history, int length, int maxLength, int itemDims) {
        if (length < 1 || history == null) {
            throw new IllegalArgumentException("history: a " + type + " encoder needs at least one item but the history is empty");
        }
        if (length > maxLength) {
            throw new IllegalArgumentException(
                "history: " + length + " items exceed the encoder's max_length of " + maxLength
            );
        }
        if (history.length < length) {
            throw new IllegalArgumentException("history: " + length + " items requested but only " + history.length + " given");
        }
        for (int t = 0; t < length; t++) {
            if (history[t] == null || history[t].length != itemDims) {
                throw new IllegalArgumentException(
                    "history[" + t + "]: expected a vector of " + itemDims + " dimensions but was "
                        + (history[t] == null ? "missing" : history[t].length)
                );
            }
        }
    }
}
