package org.recommender.tools.train.params;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Where {@code model-tools tune} looks for a hyper-parameter's value: a sub-range of its declared domain that is
 * worth searching (the domain itself, e.g. a learning rate in (0, 10], is only what is legal). Declared once with
 * the parameter ({@link HyperParameter#searched}); a parameter without one keeps its default (or the value given).
 *
 * @param <T> the parameter's value type
 */
public sealed interface SearchRange<T> {
    /** @return a value drawn with {@code random}; the same random state gives the same value */
    T draw(SplittableRandom random);

    /** @return every value the range can give, for checking against the domain (the bounds, for continuous ranges) */
    List<T> extremes();

    /** @return the range as {@code tune.json} and the docs show it, e.g. {@code log-uniform [0.0001, 0.1]} */
    String describe();

    /**
     * @param low the smallest value, above 0
     * @param high the largest value, above {@code low}
     * @return reals whose logarithm is uniform: steps and penalties, whose useful values span decades
     */
    static SearchRange<Double> logUniform(double low, double high) {
        return new LogUniform(low, high);
    }

    /** @return reals drawn uniformly from {@code [low, high]}: shares such as a dropout rate */
    static SearchRange<Double> uniform(double low, double high) {
        return new Uniform(low, high);
    }

    /** @return one of {@code values}, each as likely: sizes, where a few well-spread values are enough */
    @SafeVarargs
    static <T> SearchRange<T> oneOf(T... values) {
        return new OneOf<>(List.of(values));
    }

    /**
     * @return {@code x} to three significant digits: settings a reader can retype, and still inside a range whose
     *     bounds have no more digits
     */
    private static double threeDigits(double x) {
        return new java.math.BigDecimal(x).round(new java.math.MathContext(3)).doubleValue();
    }

    /** See {@link #logUniform}. */
    record LogUniform(double low, double high) implements SearchRange<Double> {
        /** Checks {@code 0 < low < high}. */
        public LogUniform {
            if ((low > 0 && high > low) == false) {
                throw new IllegalArgumentException("a log-uniform range needs 0 < low < high but was [" + low + ", " + high + "]");
            }
        }

        @Override
        public Double draw(SplittableRandom random) {
            return threeDigits(Math.exp(random.nextDouble(Math.log(low), Math.log(high))));
        }

        @Override
        public List<Double> extremes() {
            return List.of(low, high);
        }

        @Override
        public String describe() {
            return "log-uniform [" + Domains.plain(low) + ", " + Domains.plain(high) + "]";
        }
    }

    /** See {@link #uniform}. */
    record Uniform(double low, double high) implements SearchRange<Double> {
        /** Checks {@code low < high}. */
        public Uniform {
            if ((high > low) == false) {
                throw new IllegalArgumentException("a uniform range needs low < high but was [" + low + ", " + high + "]");
            }
        }

        @Override
        public Double draw(SplittableRandom random) {
            return threeDigits(random.nextDouble(low, high));
        }

        @Override
        public List<Double> extremes() {
            return List.of(low, high);
        }

        @Override
        public String describe() {
            return "uniform [" + Domains.plain(low) + ", " + Domains.plain(high) + "]";
        }
    }

    /** See {@link #oneOf}. */
    record OneOf<T>(List<T> values) implements SearchRange<T> {
        /** Checks there is at least one value. */
        public OneOf {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a choice needs at least one value");
            }
            values = List.copyOf(values);
        }

        @Override
        public T draw(SplittableRandom random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public List<T> extremes() {
            return values;
        }

        @Override
        public String describe() {
            return "one of " + values;
        }
    }
}
