package org.recommender.tools.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hyper-parameters given for one algorithm ({@code -P name=value} on the command line, or programmatically),
 * read with typed getters that supply the algorithm's defaults. Every name must be read by the algorithm: an unknown
 * name (a typo, or a parameter of another algorithm) is an error, never silently ignored.
 */
public final class TrainerParameters {
    private final String algorithm;
    private final Map<String, String> given;
    private final Set<String> read = new TreeSet<>();

    /**
     * @param algorithm the algorithm's name, for messages
     * @param given name → value as typed
     */
    public TrainerParameters(String algorithm, Map<String, String> given) {
        this.algorithm = algorithm;
        this.given = new LinkedHashMap<>(given);
    }

    /** @return the integer {@code name}, or {@code fallback} when not given */
    public int integer(String name, int fallback) {
        String v = take(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw bad(name, v, "an integer");
        }
    }

    /** @return the number {@code name}, or {@code fallback} when not given */
    public double number(String name, double fallback) {
        String v = take(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isFinite(d) == false) {
                throw bad(name, v, "a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(name, v, "a number");
        }
    }

    /** @return the text {@code name}, or {@code fallback} when not given */
    public String text(String name, String fallback) {
        String v = take(name);
        return v == null ? fallback : v.trim();
    }

    /** @return the comma-separated integers {@code name}, e.g. {@code 64,32,16}, or {@code fallback} */
    public int[] integers(String name, int[] fallback) {
        String v = take(name);
        if (v == null) {
            return fallback;
        }
        try {
            return java.util.Arrays.stream(v.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw bad(name, v, "comma-separated integers");
        }
    }

    /**
     * Fails if a given name was never read.
     *
     * @throws IllegalArgumentException naming the unknown parameters and the known ones
     */
    public void requireAllUsed() {
        Set<String> unknown = new TreeSet<>(given.keySet());
        unknown.removeAll(read);
        if (unknown.isEmpty() == false) {
            throw new IllegalArgumentException("unknown parameter(s) " + unknown + " for --algorithm " + algorithm + "; it takes " + read);
        }
    }

    private String take(String name) {
        read.add(name);
        return given.get(name);
    }

    private IllegalArgumentException bad(String name, String value, String expected) {
        return new IllegalArgumentException("parameter " + name + " of " + algorithm + " must be " + expected + " but was [" + value + "]");
    }
}
