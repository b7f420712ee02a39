package org.recommender.tools.train.ease;

import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.SettingDoesNotTrainException;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;
import org.recommender.tools.train.params.SearchRange;

import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): an item × item weight matrix with
 * a zero diagonal, in closed form — {@code P = (XᵀX + λI)⁻¹}, {@code B = I − P·diag(1/diag(P))} — scoring a user's
 * items as {@code x_u·B}. The inverse is the one step whose cost, O(items³), needs native code: LAPACK's Cholesky
 * factor and inverse in float32 on OpenBLAS ({@link CholeskyInverse}), about items³ flops. (The eigensolver it
 * replaced needed several times that and took 476 s for Last.fm's 17,632 items, silently; see docs/benchmarks.md
 * for today's measurement beside numpy.) Each phase — Gram matrix, factor, inverse, weights, validation scoring — is
 * announced through {@link TrainingControl#phase}, the memory need first. Deterministic: no randomness at all.
 */
public final class EaseTrainer implements Trainer {
    /** The algorithm's name. */
    public static final String NAME = "ease";

    /** The L2 penalty λ on B (Steck uses a few hundred for ML-20M). */
    public static final HyperParameter<Double> LAMBDA = HyperParameter.real("lambda", 250, 0, true, 1e9, true, "L2 penalty λ on the item × item weights")
        .searched(SearchRange.logUniform(10, 10000));
    /** The declarations, read by the CLI, {@code --help} and the manifest. */
    public static final Hyperparameters<EaseTrainer> PARAMETERS = Hyperparameters.<EaseTrainer>builder()
        .add(LAMBDA, EaseTrainer::lambda)
        .build((v, seed) -> new EaseTrainer(v.get(LAMBDA)));

    private final double lambda;

    /** @param lambda the L2 penalty λ on B, in the range {@link #LAMBDA} declares */
    public EaseTrainer(double lambda) {
        this.lambda = LAMBDA.check(lambda);
    }

    /** @return λ */
    public double lambda() {
        return lambda;
    }

    /**
     * The memory the fit needs at its peak beyond the data: two {@code items × items} float32 matrices — the Gram
     * matrix on the heap while it is copied to native memory for LAPACK, then the native inverse while the weights
     * are copied back to the heap (native memory counts against {@code -Xmx} too: JavaCPP's default limit).
     *
     * @param items the number of items
     * @return bytes: {@code items² × 4 × 2}
     */
    public static long memoryBytes(int items) {
        return (long) items * items * Float.BYTES * 2;
    }

    @Override
    public boolean usesSeed() {
        return false;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        return PARAMETERS.recorded(this);
    }

    @Override
    public long totalSteps(UserItemMatrix data) {
        return 4;
    }

    @Override
    public void requireServable(UserItemMatrix data) {
        if (data.items() > EmbeddingValidator.MAX_DIMENSIONS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                "ease serves as embeddings of one dimension per item, at most %,d; this data has %,d items (evaluate works at any size)",
                EmbeddingValidator.MAX_DIMENSIONS, data.items()));
        }
    }

    @Override
    public TrainedModel fit(UserItemMatrix data, TrainingControl control) {
        int n = data.items();
        long cells = (long) n * n;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "ease needs an items × items matrix; %,d items is too many (at most 46,000)", n));
        }
        control.phase(String.format(Locale.ROOT, "%,d items: needs %.2f GB (%,d² × 4 bytes × 2 matrices); Gram matrix XᵀX + λI", n,
            memoryBytes(n) / 1e9, n));
        float[] p;
        try {
            // the Gram array is passed on without a reference kept here, so it can go once LAPACK has its copy
            p = CholeskyInverse.invert(gram(data, n), n, control::phase);
        } catch (CholeskyInverse.NotPositiveDefinite e) {
            throw new SettingDoesNotTrainException("ease: " + e.getMessage() + "; " + LAMBDA.hint("raise", lambda), e);
        }
        control.steps(3);
        control.phase("weights B = I − P·diag(1/diag(P))");
        toWeights(p, n);
        control.steps(1);
        EaseModel model = new EaseModel(data, p, n);
        if (control.validates()) {
            control.phase("scoring the validation users");
        }
        control.epochDone(1, 0, model, () -> {});
        return model;
    }

    /** @return {@code XᵀX + λI}, row-major, with X binary */
    private float[] gram(UserItemMatrix data, int n) {
        float[] gram = new float[n * n];
        for (int u = 0; u < data.users(); u++) {
            int[] items = data.itemsOf(u);
            for (int a : items) {
                int row = a * n;
                for (int b : items) {
                    gram[row + b] += 1;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            gram[i * n + i] += (float) lambda;
        }
        return gram;
    }

    /** Turns {@code P} into {@code B} in place: {@code B[i][j] = −P[i][j] / P[j][j]}, {@code B[j][j] = 0}. */
    private static void toWeights(float[] p, int n) {
        float[] diagonal = new float[n];
        for (int j = 0; j < n; j++) {
            diagonal[j] = p[j * n + j];
        }
        IntStream.range(0, n).parallel().forEach(i -> {
            int row = i * n;
            for (int j = 0; j < n; j++) {
                p[row + j] = -p[row + j] / diagonal[j];
            }
            p[row + i] = 0;
        });
    }
}
