package org.recommender.core.scoring;

import java.util.Arrays;
import java.util.Locale;

/**
 * The element-wise functions a dense layer may apply to its output, by the names model bundles use
 * ({@code relu}, {@code tanh}, {@code sigmoid}, {@code identity}). Both kernels use these definitions: the Java kernel
 * calls {@link #apply}, the ND4J kernel maps each constant to the ND4J op of the same name.
 */
public enum Activation {
    /** max(0, x). */
    RELU,
    /** The hyperbolic tangent. */
    TANH,
    /** 1 / (1 + e^−x). */
    SIGMOID,
    /** x unchanged. */
    IDENTITY;

    /**
     * @param x a pre-activation value
     * @return the activation of {@code x}
     */
    public float apply(float x) {
        // One switch instead of constant-specific bodies keeps this call monomorphic for the JIT.
        return switch (this) {
            case RELU -> x > 0f ? x : 0f;
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case IDENTITY -> x;
        };
    }

    /** Applies this activation to {@code values[0..count)} in place. */
    public void applyInPlace(float[] values, int count) {
        if (this == IDENTITY) {
            return;
        }
        for (int i = 0; i < count; i++) {
            values[i] = apply(values[i]);
        }
    }

    /** @return the name used in model bundles, e.g. {@code relu} */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a name as written in a model bundle
     * @return the matching activation
     * @throws IllegalArgumentException listing the accepted names
     */
    public static Activation fromName(String name) {
        for (Activation a : values()) {
            if (a.externalName().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation [" + name + "]; expected one of " + names());
    }

    /** @return the accepted names, e.g. {@code [relu, tanh, sigmoid, identity]} */
    public static String names() {
        return Arrays.stream(values()).map(Activation::externalName).toList().toString();
    }
}
