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

    /**
     * The one check of a request field naming a stored model ({@code [model]}, {@code [params.model]}): a malformed id
     * is a 400 on every surface, before any store read (not the 404 of a well-formed id that names nothing).
     *
     * @param field how the 400 names the request field
     * @return {@code id}
     */
    public static String reference(String field, String id) {
        try {
            return check(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " " + e.getMessage());
        }
    }

    /**
     * The check of a field naming a user encoder ({@code [user.encoder]}, {@code [cold_start.encoder]}), where
     * {@code mean} (the default) is the plain mean of the history's vectors.
     *
     * @return {@code null} for the mean, else a valid model id
     */
    public static String encoder(String field, String id, String mean) {
        if (id == null || mean.equals(id)) {
            return null;
        }
        try {
            return check(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be [" + mean + "] or a stored user encoder's model id: " + e.getMessage());
        }
    }
}
