package org.recommender.plugin.store;

import java.util.regex.Pattern;

/** What a model id may look like: it is a document id and appears in URLs and query DSL. */
public final class ModelIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

    private ModelIds() {}

    /**
     * @param id a model id from a request
     * @return {@code id}
     * @throws IllegalArgumentException naming the id and the allowed form
     */
    public static String check(String id) {
        if (id == null || VALID.matcher(id).matches() == false) {
            throw new IllegalArgumentException(
                "invalid model id [" + id + "]: use 1-128 letters, digits, '_', '-' or '.', starting with a letter or digit"
            );
        }
        return id;
    }
}
