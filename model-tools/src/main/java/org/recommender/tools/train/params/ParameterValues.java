package org.recommender.tools.train.params;

import java.util.Map;
import java.util.Set;

/**
 * The checked values of one algorithm's hyper-parameters: each one given, or its default. Built by
 * {@link Hyperparameters#create}; read by the algorithm's factory.
 */
public final class ParameterValues {
    private final Map<String, Object> values;
    private final Set<String> given;

    ParameterValues(Map<String, Object> values, Set<String> given) {
        this.values = Map.copyOf(values);
        this.given = Set.copyOf(given);
    }

    /**
     * @return the value of {@code parameter}
     * @throws IllegalArgumentException if the algorithm does not declare it
     */
    @SuppressWarnings("unchecked")
    public <T> T get(HyperParameter<T> parameter) {
        Object v = values.get(parameter.name());
        if (v == null) {
            throw new IllegalArgumentException("undeclared hyper-parameter " + parameter.name());
        }
        return (T) v;
    }

    /** @return whether {@code parameter} was given, rather than defaulted (for defaults that follow another parameter) */
    public boolean given(HyperParameter<?> parameter) {
        return given.contains(parameter.name());
    }
}
