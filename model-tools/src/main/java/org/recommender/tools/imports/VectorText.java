package org.recommender.tools.imports;

import java.util.List;

/**
 * Parses vectors written as text: one field holding the whole vector ({@code [0.1,0.2]}, Spark's cast of an array to
 * a string {@code [0.1, 0.2]}, or the numbers separated by spaces or semicolons), or one field per element.
 */
public final class VectorText {
    private VectorText() {}

    /**
     * @param text the vector in one field, brackets optional
     * @return its elements
     * @throws IllegalArgumentException naming the element that is not a number
     */
    public static float[] parse(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]") && s.length() >= 2) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.isEmpty()) {
            return new float[0];
        }
        String[] parts = s.split("\\s*[,;]\\s*|\\s+");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = number(parts[i], i);
        }
        return v;
    }

    /**
     * @param fields the elements, one per field
     * @param from the index of the first element in {@code fields}
     * @return the elements from {@code from} on
     */
    public static float[] parse(List<String> fields, int from) {
        float[] v = new float[fields.size() - from];
        for (int i = 0; i < v.length; i++) {
            v[i] = number(fields.get(from + i), i);
        }
        return v;
    }

    /** @return whether {@code text} reads as one number (used to tell a header row from data) */
    public static boolean isNumber(String text) {
        try {
            Float.parseFloat(text.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float number(String text, int index) {
        try {
            // Float.parseFloat also reads NaN and Infinity; the validator refuses those with a clearer message
            return Float.parseFloat(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("vector element [" + index + "] is not a number: [" + text + "]");
        }
    }
}
