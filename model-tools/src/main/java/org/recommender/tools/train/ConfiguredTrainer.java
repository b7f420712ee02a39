package org.recommender.tools.train;

import java.util.Map;

/**
 * A trainer whose hyper-parameters are one {@link TrainerConfig}: its name and its config, and the config's
 * recorded settings as its {@link #parameters()} — what every such trainer otherwise wrote again.
 *
 * @param <C> the config record
 */
public abstract class ConfiguredTrainer<C extends TrainerConfig> implements Trainer {
    private final String name;
    /** The hyper-parameters this trainer trains with. */
    protected final C config;

    /**
     * @param name the algorithm's name in tables and manifests
     * @param config its hyper-parameters
     */
    protected ConfiguredTrainer(String name, C config) {
        this.name = name;
        this.config = config;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Map<String, Object> parameters() {
        return config.asMap();
    }
}
