package org.recommender.tools.train.mf;

import org.recommender.core.vector.EmbeddingValidator;

/** Range checks for hyper-parameters, with messages that name the parameter as the user typed it. */
final class Checks {
    private Checks() {}

    static void dims(int dims) {
        if (dims < 1 || dims > EmbeddingValidator.MAX_DIMENSIONS - 2) {
            throw new IllegalArgumentException("--dims must be between 1 and " + (EmbeddingValidator.MAX_DIMENSIONS - 2) + " but was " + dims);
        }
    }

    static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("parameter " + name + " must be at least " + min + " but was " + value);
        }
    }

    static void nonNegative(String name, double value) {
        if ((value >= 0 && value < 1e6) == false) {
            throw new IllegalArgumentException("parameter " + name + " must be in [0, 1e6) but was " + value);
        }
    }

    static void positive(String name, double value) {
        if ((value > 0 && value < 1e6) == false) {
            throw new IllegalArgumentException("parameter " + name + " must be in (0, 1e6) but was " + value);
        }
    }
}
