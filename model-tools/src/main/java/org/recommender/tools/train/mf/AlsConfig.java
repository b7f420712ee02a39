package org.recommender.tools.train.mf;

import org.recommender.tools.train.TrainerParameters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of {@link AlsTrainer}.
 *
 * @param dims factor dimension
 * @param epochs alternating passes
 * @param regularization λ, multiplied by each row's number of ratings (ALS-WR)
 * @param initStd standard deviation of the initial factors
 * @param seed random seed
 */
public record AlsConfig(int dims, int epochs, double regularization, double initStd, long seed) {
    /** Validates every parameter, naming it. */
    public AlsConfig {
        Checks.dims(dims);
        Checks.atLeast("epochs", epochs, 1);
        Checks.positive("regularization", regularization);
        Checks.positive("init_std", initStd);
    }

    /** Reads the parameters of {@code als}, with these defaults for anything not given. */
    public static AlsConfig from(TrainerParameters p, int dims, int epochs, long seed) {
        return new AlsConfig(dims, epochs, p.number("regularization", 0.1), p.number("init_std", 0.1), seed);
    }

    /** @return the hyper-parameters by name */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dims", dims);
        m.put("epochs", epochs);
        m.put("regularization", regularization);
        m.put("init_std", initStd);
        return m;
    }
}
