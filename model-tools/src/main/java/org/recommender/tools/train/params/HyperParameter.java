package org.recommender.tools.train.params;

import java.util.List;
import java.util.Objects;

/**
 * One hyper-parameter, declared once: its name, the option that sets it, its type and range, its default and a line
 * of help. Parsing, range checks, error messages, {@code --help} and the settings recorded in manifests and reports
 * all read this declaration, so they cannot drift apart.
 *
 * <p>The embedding size and the epoch count are set with {@code --dims} / {@code --epochs} (see {@link #dims},
 * {@link #epochs}); every other parameter with {@code -P name=value}. Messages name the option as {@code train}
 * spells it ({@code evaluate} prefixes the algorithm: {@code -P ials.alpha}; see {@link HyperParameterException}).
 *
 * @param <T> the value type: {@link Integer}, {@link Double}, {@link String} (a choice) or a list of integers
 */
public final class HyperParameter<T> {
    /** The name under which {@code --dims} reaches an algorithm. */
    public static final String DIMS = "dims";
    /** The name under which {@code --epochs} reaches an algorithm. */
    public static final String EPOCHS = "epochs";

    private final String name;
    private final String recordedAs;
    private final T defaultValue;
    private final Domain<T> domain;
    private final String help;
    private final SearchRange<T> search;

    private HyperParameter(String name, String recordedAs, T defaultValue, Domain<T> domain, String help, SearchRange<T> search) {
        this.name = Objects.requireNonNull(name);
        this.recordedAs = Objects.requireNonNull(recordedAs);
        this.defaultValue = Objects.requireNonNull(defaultValue);
        this.domain = domain;
        this.help = Objects.requireNonNull(help);
        this.search = search;
        String wrong = domain.violation(defaultValue);
        if (wrong != null) {
            throw new IllegalStateException("the default of " + name + " " + wrong);
        }
        if (search != null) {
            for (T v : search.extremes()) {
                String outside = domain.violation(v);
                if (outside != null) {
                    throw new IllegalStateException("the search range of " + name + " " + outside);
                }
            }
        }
    }

    private HyperParameter(String name, String recordedAs, T defaultValue, Domain<T> domain, String help) {
        this(name, recordedAs, defaultValue, domain, help, null);
    }

    /** @return an integer in {@code [min, max]} ({@code max} {@link Integer#MAX_VALUE}: unbounded) */
    public static HyperParameter<Integer> integer(String name, int defaultValue, int min, int max, String help) {
        return new HyperParameter<>(name, name, defaultValue, new Domains.Integers(min, max), help);
    }

    /**
     * @return a finite real between {@code min} and {@code max}
     * @param minOpen whether {@code min} itself is excluded
     * @param maxOpen whether {@code max} itself is excluded
     */
    public static HyperParameter<Double> real(String name, double defaultValue, double min, boolean minOpen, double max, boolean maxOpen, String help) {
        return new HyperParameter<>(name, name, defaultValue, new Domains.Reals(min, minOpen, max, maxOpen), help);
    }

    /** @return one of {@code words} (lower case), read case-insensitively */
    public static HyperParameter<String> choice(String name, String defaultValue, List<String> words, String help) {
        return new HyperParameter<>(name, name, defaultValue, new Domains.Choice(List.copyOf(words)), help);
    }

    /** @return comma-separated integers, between 1 and {@code maxSize} of them, each in {@code [min, max]} */
    public static HyperParameter<List<Integer>> integers(String name, List<Integer> defaultValue, int maxSize, int min, int max, String help) {
        return new HyperParameter<>(name, name, List.copyOf(defaultValue), new Domains.IntegerList(maxSize, min, max), help);
    }

    /** @return the embedding size, set with {@code --dims}, in {@code [1, max]} */
    public static HyperParameter<Integer> dims(int defaultValue, int max, String help) {
        return integer(DIMS, defaultValue, 1, max, help);
    }

    /** @return the number of epochs, set with {@code --epochs}, at least 1 */
    public static HyperParameter<Integer> epochs(int defaultValue, String help) {
        return integer(EPOCHS, defaultValue, 1, Integer.MAX_VALUE, help);
    }

    /** @return this parameter recorded in manifests and reports under {@code key} instead of its name (e.g. {@code --dims} as {@code hidden}) */
    public HyperParameter<T> recordedAs(String key) {
        return new HyperParameter<>(name, key, defaultValue, domain, help, search);
    }

    /**
     * @param range where {@code tune} looks for this parameter's value; must lie inside the declared domain
     * @return this parameter, searched by {@code tune} over {@code range}
     * @throws IllegalStateException when the range reaches outside the domain
     */
    public HyperParameter<T> searched(SearchRange<T> range) {
        return new HyperParameter<>(name, recordedAs, defaultValue, domain, help, Objects.requireNonNull(range));
    }

    /** @return where {@code tune} searches this parameter, or null when it keeps its default */
    public SearchRange<T> search() {
        return search;
    }

    /** @return a value drawn from {@link #search()}, as a user would type it; the parameter must have a search range */
    public String drawText(java.util.SplittableRandom random) {
        return format(search.draw(random));
    }

    /** @return the name: {@code dims}, {@code epochs}, or what follows {@code -P}, e.g. {@code learning_rate} */
    public String name() {
        return name;
    }

    /** @return the key in manifests and reports; usually {@link #name} */
    public String recordedName() {
        return recordedAs;
    }

    /** @return the option that sets it on {@code train}: {@code --dims}, {@code --epochs} or {@code -P name} */
    public String option() {
        return DIMS.equals(name) || EPOCHS.equals(name) ? "--" + name : "-P " + name;
    }

    /** @return whether it is set through its own option ({@code --dims}, {@code --epochs}) rather than {@code -P} */
    public boolean hasOwnOption() {
        return DIMS.equals(name) || EPOCHS.equals(name);
    }

    /** @return the value used when none is given */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return what the parameter does, one line */
    public String help() {
        return help;
    }

    /** @return the range as {@code --help} shows it, e.g. {@code (0, 10]}, {@code [1, 4096]}, {@code ≥ 1}, {@code binary|log} */
    public String range() {
        return domain.describe();
    }

    /** @return {@code value} as a user would type it */
    public String format(T value) {
        return domain.format(value);
    }

    /**
     * @param text the value as typed
     * @return the value, range-checked
     * @throws HyperParameterException naming {@link #option} when the text is not of the type or out of range
     */
    public T parse(String text) {
        T value;
        try {
            value = domain.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new HyperParameterException(this, e.getMessage());
        }
        return check(value);
    }

    /**
     * @return {@code value}, when in range
     * @throws HyperParameterException naming {@link #option}, e.g. {@code -P l2 must be in [0, 1] but was -1.0}
     */
    public T check(T value) {
        String wrong = domain.violation(value);
        if (wrong != null) {
            throw new HyperParameterException(this, wrong);
        }
        return value;
    }

    /** @return a hint for a diverged run, e.g. {@code lower -P learning_rate (now 0.05)} */
    public String hint(String verb, T now) {
        return verb + " " + option() + " (now " + format(now) + ")";
    }

    @Override
    public String toString() {
        return option();
    }
}
