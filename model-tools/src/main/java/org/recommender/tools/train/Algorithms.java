package org.recommender.tools.train;

import org.recommender.tools.train.ease.EaseTrainer;
import org.recommender.tools.train.mf.AlsConfig;
import org.recommender.tools.train.mf.AlsTrainer;
import org.recommender.tools.train.mf.IalsConfig;
import org.recommender.tools.train.mf.IalsTrainer;
import org.recommender.tools.train.mf.SvdConfig;
import org.recommender.tools.train.mf.SvdTrainer;
import org.recommender.tools.train.neural.NcfTrainer;
import org.recommender.tools.train.neural.MultDaeConfig;
import org.recommender.tools.train.neural.MultDaeTrainer;
import org.recommender.tools.train.neural.NcfConfig;


import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training algorithms {@code train} and {@code evaluate} accept, by name, with their default dimension and
 * epochs: one place that turns command-line settings into a configured {@link Trainer}.
 */
public final class Algorithms {
    /** Builds a trainer from the common settings and the algorithm's own parameters. */
    @FunctionalInterface
    interface Factory {
        Trainer create(TrainerParameters parameters, int dims, int epochs, long seed);
    }

    /** One registered algorithm. */
    private record Entry(int defaultDims, int defaultEpochs, Factory factory) {}

    private static final Map<String, Entry> ALGORITHMS = new LinkedHashMap<>();

    static {
        ALGORITHMS.put(PopularityTrainer.NAME, new Entry(1, 1, (p, d, e, s) -> new PopularityTrainer()));
        ALGORITHMS.put(BprTrainer.NAME, new Entry(BprConfig.DEFAULT_DIMS, BprConfig.DEFAULT_EPOCHS, (p, d, e, s) -> new BprTrainer(
            new BprConfig(d, e, p.number("learning_rate", BprConfig.DEFAULT_LEARNING_RATE), p.number("regularization", BprConfig.DEFAULT_REGULARIZATION),
                p.number("init_std", BprConfig.DEFAULT_INIT_STD), s))));
        ALGORITHMS.put(IalsTrainer.NAME, new Entry(64, 15, (p, d, e, s) -> new IalsTrainer(IalsConfig.from(p, d, e, s))));
        ALGORITHMS.put(AlsTrainer.NAME, new Entry(64, 15, (p, d, e, s) -> new AlsTrainer(AlsConfig.from(p, d, e, s))));
        ALGORITHMS.put(SvdTrainer.NAME, new Entry(100, 20, (p, d, e, s) -> new SvdTrainer(SvdConfig.from(p, d, e, s))));
        ALGORITHMS.put(EaseTrainer.NAME, new Entry(1, 1, (p, d, e, s) -> EaseTrainer.from(p)));
        ALGORITHMS.put(NcfTrainer.NEUMF, new Entry(NcfConfig.DEFAULT_MLP_DIMS, NcfConfig.DEFAULT_EPOCHS, (p, d, e, s) -> NcfTrainer.neumf(ncf(p, d, e, s))));
        ALGORITHMS.put(NcfTrainer.MLP, new Entry(NcfConfig.DEFAULT_MLP_DIMS, NcfConfig.DEFAULT_EPOCHS, (p, d, e, s) -> NcfTrainer.mlp(ncf(p, d, e, s))));
        ALGORITHMS.put(MultDaeTrainer.NAME, new Entry(MultDaeConfig.DEFAULT_HIDDEN, MultDaeConfig.DEFAULT_EPOCHS, (p, d, e, s) -> new MultDaeTrainer(
            new MultDaeConfig(d, e, p.number("learning_rate", MultDaeConfig.DEFAULT_LEARNING_RATE), p.number("l2", MultDaeConfig.DEFAULT_L2),
                p.number("dropout", MultDaeConfig.DEFAULT_DROPOUT), p.integer("batch_size", MultDaeConfig.DEFAULT_BATCH_SIZE), s))));
    }

    private Algorithms() {}

    /**
     * NeuMF / NCF-MLP settings: {@code --dims} is the MLP embedding size; the GMF size is {@code gmf_dims}, by
     * default 16 with the default dims and equal to {@code --dims} otherwise.
     */
    private static NcfConfig ncf(TrainerParameters p, int dims, int epochs, long seed) {
        int gmf = p.integer("gmf_dims", dims == NcfConfig.DEFAULT_MLP_DIMS ? NcfConfig.DEFAULT_GMF_DIMS : dims);
        int[] layers = p.integers("layers", NcfConfig.DEFAULT_LAYERS.stream().mapToInt(Integer::intValue).toArray());
        return new NcfConfig(gmf, dims, java.util.Arrays.stream(layers).boxed().toList(), p.integer("negatives", NcfConfig.DEFAULT_NEGATIVES), epochs,
            p.integer("pretrain_epochs", NcfConfig.DEFAULT_PRETRAIN_EPOCHS), p.number("learning_rate", NcfConfig.DEFAULT_LEARNING_RATE),
            p.number("l2", NcfConfig.DEFAULT_L2), p.integer("batch_size", NcfConfig.DEFAULT_BATCH_SIZE), seed);
    }

    /** @return the names, in the order the help lists them */
    public static List<String> names() {
        return List.copyOf(ALGORITHMS.keySet());
    }

    /**
     * @param name an algorithm name
     * @param parameters its own parameters; every one must be known to it
     * @param dims the dimension, or null for the algorithm's default
     * @param epochs the epochs, or null for the algorithm's default
     * @param seed random seed
     * @throws IllegalArgumentException for an unknown name or parameter, or a value out of range, naming it
     */
    public static Trainer create(String name, TrainerParameters parameters, Integer dims, Integer epochs, long seed) {
        Entry entry = ALGORITHMS.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown --algorithm [" + name + "]; supported: " + names());
        }
        Trainer trainer = entry.factory().create(parameters, dims == null ? entry.defaultDims() : dims, epochs == null ? entry.defaultEpochs() : epochs, seed);
        parameters.requireAllUsed();
        return trainer;
    }
}
