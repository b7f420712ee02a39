package org.recommender.tools.train.mf;

import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.train.TrainerConfig;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.Map;

/**
 * Hyper-parameters of {@link BpmfTrainer}. The priors are not among them: they are the paper's (see
 * {@link NormalWishart}), and the noise precision is sampled, not set.
 *
 * @param dims factor dimension d
 * @param epochs Gibbs sweeps in all, burn-in included
 * @param burnIn sweeps discarded before samples are kept
 * @param thin keep every {@code thin}-th sweep after the burn-in
 * @param seed random seed
 */
public record BpmfConfig(int dims, int epochs, int burnIn, int thin, long seed) implements TrainerConfig {
    /** Factor dimension. Searched over small values: the served vectors have {@code dims × samples + 2} dimensions. */
    public static final HyperParameter<Integer> DIMS = HyperParameter.dims(10, EmbeddingValidator.MAX_DIMENSIONS - 2,
        "factor dimension d (served vectors have d x samples + 2)").searched(SearchRange.oneOf(5, 10, 20));
    /**
     * Gibbs sweeps. 100 by default: on one random 80/20 split of ML-100K (d 10) the held-out RMSE of the averaged
     * prediction was 0.8984 at sweep 80, 0.8978 at 90 and 0.8972 at 100 — still falling, by 0.0006 per 10 sweeps
     * ({@code python3 benchmarks/bpmf-sweeps.py}, the same sampler in numpy).
     */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(100, "Gibbs sweeps in all, burn-in included");
    /**
     * Sweeps thrown away before any is averaged. 20 by default: in the same run a single sweep's held-out RMSE had
     * levelled off by sweep 20 (0.9516 at 10, 0.9430 at 20, 0.9422 at 30).
     */
    public static final HyperParameter<Integer> BURN_IN = HyperParameter.integer("burn_in", 20, 0, Integer.MAX_VALUE,
        "sweeps discarded before samples are kept");
    /** Thinning: neighbouring sweeps are strongly correlated, so keeping every one adds dimensions more than information. */
    public static final HyperParameter<Integer> THIN = HyperParameter.integer("thin", 2, 1, Integer.MAX_VALUE,
        "keep every thin-th sweep after the burn-in");

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<BpmfConfig> PARAMETERS = Hyperparameters.<BpmfConfig>builder()
        .add(DIMS, BpmfConfig::dims)
        .add(EPOCHS, BpmfConfig::epochs)
        .add(BURN_IN, BpmfConfig::burnIn)
        .add(THIN, BpmfConfig::thin)
        .build((v, seed) -> new BpmfConfig(v.get(DIMS), v.get(EPOCHS), v.get(BURN_IN), v.get(THIN), seed));

    /**
     * Validates every parameter against its declaration, naming the option at fault, and that at least one sample is
     * kept and the served vectors fit an {@code embedding} field.
     */
    public BpmfConfig {
        DIMS.check(dims);
        EPOCHS.check(epochs);
        BURN_IN.check(burnIn);
        THIN.check(thin);
        if ((long) epochs - burnIn < thin) {
            throw new IllegalArgumentException("--epochs (" + epochs + ") must exceed " + BURN_IN.option() + " (" + burnIn + ") by at least "
                + THIN.option() + " (" + thin + "), so that a sample is kept");
        }
        long served = (long) dims * samples(epochs, burnIn, thin) + 2;
        if (served > EmbeddingValidator.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("--dims (" + dims + ") x kept samples (" + samples(epochs, burnIn, thin) + ": (--epochs - "
                + BURN_IN.option() + ") / " + THIN.option() + ") + 2 = " + served + " served dimensions, above the embedding field's "
                + EmbeddingValidator.MAX_DIMENSIONS + "; lower --dims or --epochs, or raise " + THIN.option());
        }
    }

    private static long samples(long epochs, long burnIn, long thin) {
        return (epochs - burnIn) / thin;
    }

    /** @return the samples averaged: every {@code thin}-th sweep after the burn-in */
    public int samples() {
        return (int) samples(epochs, burnIn, thin);
    }

    /** @return whether sweep {@code sweep} (1-based) is one of the kept samples */
    boolean keeps(int sweep) {
        return sweep > burnIn && (sweep - burnIn) % thin == 0;
    }

    /** @return the hyper-parameters by name */
    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
