package org.recommender.tools.train.params;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The hyper-parameters of one algorithm, each declared once with the accessor that reads it back from the
 * algorithm's configuration {@code C}: the one list that parsing ({@link #create}), {@code --help}
 * ({@link ParameterHelp}) and the settings in manifests and reports ({@link #recorded}) all read.
 *
 * @param <C> the algorithm's configuration, built by the factory from checked values
 */
public final class Hyperparameters<C> {
    /** Builds the configuration from checked values. */
    @FunctionalInterface
    public interface Factory<C> {
        /**
         * @param values every declared parameter's value
         * @param seed the run's random seed
         */
        C create(ParameterValues values, long seed);
    }

    private record Declared<C, T>(HyperParameter<T> parameter, Function<C, T> value) {
        void record(C config, Map<String, Object> out) {
            out.put(parameter.recordedName(), value.apply(config));
        }
    }

    private final List<Declared<C, ?>> declared;
    private final Map<String, Object> facts;
    private final Factory<C> factory;

    private Hyperparameters(List<Declared<C, ?>> declared, Map<String, Object> facts, Factory<C> factory) {
        this.declared = List.copyOf(declared);
        this.facts = facts;
        this.factory = factory;
    }

    /** @return a builder; declare the parameters in the order reports list them */
    public static <C> Builder<C> builder() {
        return new Builder<>();
    }

    /** @return the declared parameters, in declaration order */
    public List<HyperParameter<?>> parameters() {
        return declared.stream().<HyperParameter<?>>map(Declared::parameter).toList();
    }

    /**
     * Parses, checks and builds.
     *
     * @param algorithm the algorithm's name, for messages
     * @param given name → value as typed; {@code dims} and {@code epochs} are ignored by an algorithm that declares
     *     none (they come from options common to all algorithms), every other name must be declared
     * @param seed the run's random seed
     * @throws HyperParameterException for a value not of its type or out of range, naming its option
     * @throws IllegalArgumentException for an unknown name, listing the ones the algorithm takes
     */
    public C create(String algorithm, Map<String, String> given, long seed) {
        Map<String, HyperParameter<?>> byName = new HashMap<>();
        declared.forEach(d -> byName.put(d.parameter().name(), d.parameter()));
        Set<String> unknown = new TreeSet<>();
        for (String name : given.keySet()) {
            boolean common = HyperParameter.DIMS.equals(name) || HyperParameter.EPOCHS.equals(name);
            if (byName.containsKey(name) == false && common == false) {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty() == false) {
            Set<String> takes = new TreeSet<>();
            declared.stream().map(Declared::parameter).filter(p -> p.hasOwnOption() == false).forEach(p -> takes.add(p.name()));
            throw new IllegalArgumentException("unknown parameter(s) " + unknown + " for --algorithm " + algorithm + "; it takes " + takes);
        }
        Map<String, Object> values = new HashMap<>();
        Set<String> present = new HashSet<>();
        for (Declared<C, ?> d : declared) {
            HyperParameter<?> p = d.parameter();
            String text = given.get(p.name());
            values.put(p.name(), text == null ? p.defaultValue() : p.parse(text));
            if (text != null) {
                present.add(p.name());
            }
        }
        return factory.create(new ParameterValues(values, present), seed);
    }

    /** @return the configuration's settings by recorded name, in declaration order, then the fixed facts of the method */
    public Map<String, Object> recorded(C config) {
        Map<String, Object> m = new LinkedHashMap<>();
        declared.forEach(d -> d.record(config, m));
        m.putAll(facts);
        return m;
    }

    /** Collects the declarations. */
    public static final class Builder<C> {
        private final List<Declared<C, ?>> declared = new ArrayList<>();
        private final Map<String, Object> facts = new LinkedHashMap<>();

        private Builder() {}

        /**
         * @param parameter the declaration
         * @param value reads the parameter back from a configuration
         */
        public <T> Builder<C> add(HyperParameter<T> parameter, Function<C, T> value) {
            if (declared.stream().anyMatch(d -> d.parameter().name().equals(parameter.name()))) {
                throw new IllegalStateException("declared twice: " + parameter.name());
            }
            declared.add(new Declared<>(parameter, value));
            return this;
        }

        /** Records a fact of the method that is not a parameter, e.g. {@code optimizer: adam}. */
        public Builder<C> fact(String name, Object value) {
            facts.put(name, value);
            return this;
        }

        /** @return the declarations with the factory that builds a configuration from their values */
        public Hyperparameters<C> build(Factory<C> factory) {
            return new Hyperparameters<>(declared, new LinkedHashMap<>(facts), factory);
        }
    }
}
