package org.recommender.tools.train.mf;

import org.recommender.tools.train.TrainerConfig;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Hyper-parameters of {@link IalsTrainer}.
 *
 * @param dims factor dimension
 * @param epochs alternating passes (users, then items)
 * @param regularization λ: the mean regularisation weight of a factor vector
 * @param regExponent ν: a row's weight is {@code λ · (w / mean w)^ν}, w its total loss weight (Rendle et al. 2022's
 *     frequency-scaled regularisation); 0 gives every row λ (Hu et al. 2008)
 * @param alpha confidence scale α
 * @param confidence how a stored value r becomes the confidence c of an observed pair
 * @param cgSteps conjugate-gradient steps per row and half-epoch (warm-started, so few suffice)
 * @param initStd standard deviation of the initial factors
 * @param seed random seed
 */
public record IalsConfig(int dims, int epochs, double regularization, double regExponent, double alpha, Confidence confidence, int cgSteps, double initStd, long seed) implements TrainerConfig {
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

        /** @return the confidence {@code word} names, e.g. {@link #LOG} for {@code log} */
        static Confidence of(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }

        /** @return the name as typed and recorded, e.g. {@code log} */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Factor dimension (served as is: no bias dimensions). */
    public static final HyperParameter<Integer> DIMS = HyperParameter.dims(64, EmbeddingValidator.MAX_DIMENSIONS, "factor dimension")
        .searched(SearchRange.oneOf(32, 64, 128, 256));
    /** Alternating passes. */
    public static final HyperParameter<Integer> EPOCHS = HyperParameter.epochs(15, "alternating passes (users, then items)");
    /** λ. */
    public static final HyperParameter<Double> REGULARIZATION = HyperParameter.real("regularization", 0.1, 0, false, 1e6, true,
        "λ on every factor vector").searched(SearchRange.logUniform(0.001, 100));
    /**
     * ν. Rendle, Krichene, Zhang, Koren (<i>Revisiting the Performance of iALS on Item Recommendation Benchmarks</i>,
     * RecSys 2022) scale each row's λ by its number of observations plus the unobserved weight, to the power ν, and
     * report it as what lifts iALS to EASE's level on ML-20M and MSD; here the weight is normalised by its mean, so λ
     * keeps its meaning as ν is searched.
     */
    public static final HyperParameter<Double> REG_EXPONENT = HyperParameter.real("reg_exponent", 0, 0, false, 4, false,
        "ν: row λ scaled by (row loss weight / mean)^ν; 0 = the same λ for every row").searched(SearchRange.uniform(0, 1));
    /** α. */
    public static final HyperParameter<Double> ALPHA = HyperParameter.real("alpha", 10, 0, false, 1e6, true, "confidence scale α")
        .searched(SearchRange.logUniform(0.1, 100));
    /** Value → confidence. */
    public static final HyperParameter<String> CONFIDENCE = HyperParameter.choice("confidence", Confidence.BINARY.word(),
        Arrays.stream(Confidence.values()).map(Confidence::word).toList(), "c = 1+α, 1+α·r, or 1+α·ln(1+r) (play counts)");
    /** CG steps. */
    public static final HyperParameter<Integer> CG_STEPS = HyperParameter.integer("cg_steps", 3, 1, Integer.MAX_VALUE,
        "conjugate-gradient steps per row and half-epoch");
    /** Initialisation spread. */
    public static final HyperParameter<Double> INIT_STD = HyperParameter.real("init_std", 0.01, 0, true, 1e6, true,
        "standard deviation of the normal initial factors");

    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<IalsConfig> PARAMETERS = Hyperparameters.<IalsConfig>builder()
        .add(DIMS, IalsConfig::dims)
        .add(EPOCHS, IalsConfig::epochs)
        .add(REGULARIZATION, IalsConfig::regularization)
        .add(REG_EXPONENT, IalsConfig::regExponent)
        .add(ALPHA, IalsConfig::alpha)
        .add(CONFIDENCE, c -> c.confidence().word())
        .add(CG_STEPS, IalsConfig::cgSteps)
        .add(INIT_STD, IalsConfig::initStd)
        .build((v, seed) -> new IalsConfig(v.get(DIMS), v.get(EPOCHS), v.get(REGULARIZATION), v.get(REG_EXPONENT), v.get(ALPHA),
            Confidence.of(v.get(CONFIDENCE)), v.get(CG_STEPS), v.get(INIT_STD), seed));

    /** Validates every parameter against its declaration, naming the option at fault. */
    public IalsConfig {
        DIMS.check(dims);
        EPOCHS.check(epochs);
        REGULARIZATION.check(regularization);
        REG_EXPONENT.check(regExponent);
        ALPHA.check(alpha);
        if (confidence == null) {
            throw new IllegalArgumentException(CONFIDENCE.option() + " must be one of " + CONFIDENCE.range() + " but was null");
        }
        CG_STEPS.check(cgSteps);
        INIT_STD.check(initStd);
    }

    /** @return the hyper-parameters by name */
    @Override
    public Map<String, Object> asMap() {
        return PARAMETERS.recorded(this);
    }
}
