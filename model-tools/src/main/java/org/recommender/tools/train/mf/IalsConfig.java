package org.recommender.tools.train.mf;

import org.recommender.tools.train.TrainerParameters;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Hyper-parameters of {@link IalsTrainer}.
 *
 * @param dims factor dimension
 * @param epochs alternating passes (users, then items)
 * @param regularization λ on every factor vector
 * @param alpha confidence scale α
 * @param confidence how a stored value r becomes the confidence c of an observed pair
 * @param cgSteps conjugate-gradient steps per row and half-epoch (warm-started, so few suffice)
 * @param initStd standard deviation of the initial factors
 * @param seed random seed
 */
public record IalsConfig(int dims, int epochs, double regularization, double alpha, Confidence confidence, int cgSteps, double initStd, long seed) {
    /** Observed pair value r → confidence c (Hu, Koren, Volinsky 2008). */
    public enum Confidence {
        /** c = 1 + α for every observed pair: the value is ignored. */
        BINARY,
        /** c = 1 + α·r. */
        LINEAR,
        /** c = 1 + α·ln(1 + r): for play counts, whose range is huge. */
        LOG;

        float of(float value, double alpha) {
            return (float) switch (this) {
                case BINARY -> 1 + alpha;
                case LINEAR -> 1 + alpha * value;
                case LOG -> 1 + alpha * Math.log1p(Math.max(0, value));
            };
        }
    }

    /** Validates every parameter, naming it. */
    public IalsConfig {
        Checks.dims(dims);
        Checks.atLeast("epochs", epochs, 1);
        Checks.atLeast("cg_steps", cgSteps, 1);
        Checks.nonNegative("regularization", regularization);
        Checks.nonNegative("alpha", alpha);
        Checks.positive("init_std", initStd);
    }

    /** Reads the parameters of {@code ials}, with these defaults for anything not given. */
    public static IalsConfig from(TrainerParameters p, int dims, int epochs, long seed) {
        String confidence = p.text("confidence", "binary");
        Confidence c;
        try {
            c = Confidence.valueOf(confidence.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter confidence of ials must be one of [binary, linear, log] but was [" + confidence + "]");
        }
        return new IalsConfig(dims, epochs, p.number("regularization", 0.1), p.number("alpha", 10), c, p.integer("cg_steps", 3),
            p.number("init_std", 0.01), seed);
    }

    /** @return the hyper-parameters by name */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dims", dims);
        m.put("epochs", epochs);
        m.put("regularization", regularization);
        m.put("alpha", alpha);
        m.put("confidence", confidence.name().toLowerCase(Locale.ROOT));
        m.put("cg_steps", cgSteps);
        m.put("init_std", initStd);
        return m;
    }
}
