package org.recommender.tools.train.params;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The kinds of value hyper-parameters take: bounded integers, intervals of reals, a choice of words, integer lists. */
final class Domains {
    private Domains() {}

    /** Integers in {@code [min, max]}; {@code max == Integer.MAX_VALUE} means no upper bound. */
    record Integers(int min, int max) implements Domain<Integer> {
        @Override
        public Integer parse(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be an integer but was [" + text + "]");
            }
        }

        @Override
        public String violation(Integer value) {
            if (value >= min && value <= max) {
                return null;
            }
            return max == Integer.MAX_VALUE ? "must be at least " + min + " but was " + value
                : "must be between " + min + " and " + max + " but was " + value;
        }

        @Override
        public String describe() {
            return max == Integer.MAX_VALUE ? "≥ " + min : "[" + min + ", " + max + "]";
        }
    }

    /** Finite reals between two bounds, each open or closed. NaN is never in range. */
    record Reals(double min, boolean minOpen, double max, boolean maxOpen) implements Domain<Double> {
        @Override
        public Double parse(String text) {
            double d;
            try {
                d = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number but was [" + text + "]");
            }
            if (Double.isFinite(d) == false) {
                throw new IllegalArgumentException("must be a finite number but was [" + text + "]");
            }
            return d;
        }

        @Override
        public String violation(Double value) {
            boolean above = minOpen ? value > min : value >= min;
            boolean below = maxOpen ? value < max : value <= max;
            return above && below ? null : "must be in " + describe() + " but was " + value;
        }

        @Override
        public String describe() {
            return (minOpen ? "(" : "[") + plain(min) + ", " + plain(max) + (maxOpen ? ")" : "]");
        }

        @Override
        public String format(Double value) {
            return plain(value);
        }
    }

    /** One word of a fixed list, read case-insensitively and kept in lower case. */
    record Choice(List<String> words) implements Domain<String> {
        @Override
        public String parse(String text) {
            return text.toLowerCase(Locale.ROOT);
        }

        @Override
        public String violation(String value) {
            return words.contains(value) ? null : "must be one of " + words + " but was [" + value + "]";
        }

        @Override
        public String describe() {
            return String.join("|", words);
        }
    }

    /** Comma-separated integers, {@code 1..maxSize} of them, each in {@code [min, max]}. */
    record IntegerList(int maxSize, int min, int max) implements Domain<List<Integer>> {
        @Override
        public List<Integer> parse(String text) {
            try {
                return Arrays.stream(text.split(",")).map(String::trim).map(Integer::valueOf).toList();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be comma-separated integers but was [" + text + "]");
            }
        }

        @Override
        public String violation(List<Integer> value) {
            if (value == null || value.isEmpty() || value.size() > maxSize) {
                return "must list between 1 and " + maxSize + " sizes but was " + value;
            }
            for (Integer v : value) {
                if (v == null || v < min || v > max) {
                    return "sizes must each be between " + min + " and " + max + " but were " + value;
                }
            }
            return null;
        }

        @Override
        public String describe() {
            return "1 to " + maxSize + " values in [" + min + ", " + max + "]";
        }

        @Override
        public String format(List<Integer> value) {
            return String.join(",", value.stream().map(String::valueOf).toList());
        }
    }

    /** @return {@code d} without exponent or trailing zeros: {@code 1e-5} reads {@code 0.00001} */
    static String plain(double d) {
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
