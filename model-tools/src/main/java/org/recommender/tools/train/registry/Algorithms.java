package org.recommender.tools.train.registry;

import org.recommender.tools.train.BprConfig;
import org.recommender.tools.train.BprTrainer;
import org.recommender.tools.train.PopularityTrainer;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.ease.EaseTrainer;
import org.recommender.tools.train.ease.ElsaConfig;
import org.recommender.tools.train.ease.ElsaTrainer;
import org.recommender.tools.train.graph.LightGcnConfig;
import org.recommender.tools.train.graph.LightGcnTrainer;
import org.recommender.tools.train.mf.AlsConfig;
import org.recommender.tools.train.mf.AlsTrainer;
import org.recommender.tools.train.mf.BpmfConfig;
import org.recommender.tools.train.mf.BpmfTrainer;
import org.recommender.tools.train.mf.IalsConfig;
import org.recommender.tools.train.mf.IalsTrainer;
import org.recommender.tools.train.mf.SvdConfig;
import org.recommender.tools.train.mf.SvdTrainer;
import org.recommender.tools.train.neighbors.ItemKnnTrainer;
import org.recommender.tools.train.neighbors.Rp3BetaTrainer;
import org.recommender.tools.train.neural.MultDaeConfig;
import org.recommender.tools.train.neural.MultDaeTrainer;
import org.recommender.tools.train.neural.NcfConfig;
import org.recommender.tools.train.neural.NcfTrainer;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.sequence.Gru4RecConfig;
import org.recommender.tools.train.sequence.Gru4RecTrainer;
import org.recommender.tools.train.sequence.MeanHistoryTrainer;
import org.recommender.tools.train.sequence.SasRecConfig;
import org.recommender.tools.train.sequence.SasRecTrainer;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.ParameterHelp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The training algorithms {@code train} and {@code evaluate} accept, by name, each with its declared
 * hyper-parameters: the one place that turns command-line settings into a configured {@link Trainer}, and that
 * {@code --help} reads. A package of its own because it knows every trainer package, which all depend on
 * {@code train}.
 */
public final class Algorithms {
    /** One registered algorithm: its declarations and how a configuration becomes its trainer. */
    private record Algorithm<C>(String name, Hyperparameters<C> parameters, Function<C, Trainer> trainer) {
        Trainer create(Map<String, String> given, long seed) {
            return trainer.apply(parameters.create(name, given, seed));
        }
    }

    private static final Map<String, Algorithm<?>> ALGORITHMS = new LinkedHashMap<>();

    static {
        add(PopularityTrainer.NAME, Hyperparameters.<Void>builder().build((v, seed) -> null), nothing -> new PopularityTrainer());
        add(BprTrainer.NAME, BprConfig.PARAMETERS, BprTrainer::new);
        add(LightGcnTrainer.NAME, LightGcnConfig.PARAMETERS, LightGcnTrainer::new);
        add(IalsTrainer.NAME, IalsConfig.PARAMETERS, IalsTrainer::new);
        add(AlsTrainer.NAME, AlsConfig.PARAMETERS, AlsTrainer::new);
        add(SvdTrainer.NAME, SvdConfig.PARAMETERS, SvdTrainer::new);
        add(BpmfTrainer.NAME, BpmfConfig.PARAMETERS, BpmfTrainer::new);
        add(EaseTrainer.NAME, EaseTrainer.PARAMETERS, ease -> ease);
        add(ElsaTrainer.NAME, ElsaConfig.PARAMETERS, ElsaTrainer::new);
        add(ItemKnnTrainer.NAME, ItemKnnTrainer.PARAMETERS, itemKnn -> itemKnn);
        add(Rp3BetaTrainer.NAME, Rp3BetaTrainer.PARAMETERS, rp3 -> rp3);
        add(NcfTrainer.NEUMF, NcfConfig.NEUMF_PARAMETERS, NcfTrainer::neumf);
        add(NcfTrainer.MLP, NcfConfig.MLP_PARAMETERS, NcfTrainer::mlp);
        add(MultDaeTrainer.NAME, MultDaeConfig.PARAMETERS, MultDaeTrainer::new);
        add(MeanHistoryTrainer.NAME, IalsConfig.PARAMETERS, MeanHistoryTrainer::new);
        add(SasRecTrainer.NAME, SasRecConfig.PARAMETERS, SasRecTrainer::new);
        add(Gru4RecTrainer.NAME, Gru4RecConfig.PARAMETERS, Gru4RecTrainer::new);
    }

    private Algorithms() {}

    private static <C> void add(String name, Hyperparameters<C> parameters, Function<C, Trainer> trainer) {
        ALGORITHMS.put(name, new Algorithm<>(name, parameters, trainer));
    }

    /** @return the names, in the order the help lists them */
    public static List<String> names() {
        return List.copyOf(ALGORITHMS.keySet());
    }

    /**
     * @return the hyper-parameters {@code name} declares, {@code --dims} and {@code --epochs} included where it uses them
     * @throws IllegalArgumentException for an unknown name
     */
    public static List<HyperParameter<?>> parameters(String name) {
        return algorithm(name).parameters().parameters();
    }

    /**
     * @return whether {@code name} trains in epochs (declares {@code epochs}), so early stopping and successive halving
     *     apply to it
     * @throws IllegalArgumentException for an unknown name
     */
    public static boolean iterative(String name) {
        return parameters(name).stream().anyMatch(p -> HyperParameter.EPOCHS.equals(p.name()));
    }

    /**
     * @param prefixed whether {@code -P} takes the algorithm as a prefix, as in {@code evaluate}
     * @return the {@code --help} table of every algorithm's parameters with default and range
     */
    public static List<String> help(boolean prefixed) {
        Map<String, List<HyperParameter<?>>> all = new LinkedHashMap<>();
        ALGORITHMS.forEach((name, a) -> all.put(name, a.parameters().parameters()));
        return ParameterHelp.lines(all, prefixed);
    }

    /** @return the {@code tune --help} table of every algorithm's search ranges */
    public static List<String> searchHelp() {
        Map<String, List<HyperParameter<?>>> all = new LinkedHashMap<>();
        ALGORITHMS.forEach((name, a) -> all.put(name, a.parameters().parameters()));
        return ParameterHelp.searchLines(all);
    }

    /**
     * @param name an algorithm name
     * @param parameters its own parameters ({@code -P name=value}); every one must be declared by it
     * @param dims the dimension, or null for the algorithm's default; ignored by an algorithm without one
     * @param epochs the epochs, or null for the algorithm's default; ignored by an algorithm without epochs
     * @param seed random seed
     * @throws IllegalArgumentException for an unknown name or parameter; a
     *     {@link org.recommender.tools.train.params.HyperParameterException} for a value out of range, naming it
     */
    public static Trainer create(String name, Map<String, String> parameters, Integer dims, Integer epochs, long seed) {
        Algorithm<?> algorithm = algorithm(name);
        Map<String, String> given = new LinkedHashMap<>(parameters);
        for (String own : List.of(HyperParameter.DIMS, HyperParameter.EPOCHS)) {
            if (given.containsKey(own)) {
                throw new IllegalArgumentException("-P " + own + " is not a parameter; use --" + own);
            }
        }
        if (dims != null) {
            given.put(HyperParameter.DIMS, dims.toString());
        }
        if (epochs != null) {
            given.put(HyperParameter.EPOCHS, epochs.toString());
        }
        return algorithm.create(given, seed);
    }

    private static Algorithm<?> algorithm(String name) {
        Algorithm<?> algorithm = ALGORITHMS.get(name);
        if (algorithm == null) {
            throw new IllegalArgumentException("unknown --algorithm [" + name + "]; supported: " + names());
        }
        return algorithm;
    }
}
