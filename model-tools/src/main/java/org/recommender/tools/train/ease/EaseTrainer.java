package org.recommender.tools.train.ease;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.tools.data.UserItemMatrix;
import org.recommender.tools.train.TrainedModel;
import org.recommender.tools.train.Trainer;
import org.recommender.tools.train.TrainingControl;
import org.recommender.tools.train.params.HyperParameter;
import org.recommender.tools.train.params.Hyperparameters;

import java.util.Locale;
import java.util.Map;

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): an item × item weight matrix with
 * a zero diagonal, in closed form — {@code P = (XᵀX + λI)⁻¹}, {@code B = I − P·diag(1/diag(P))} — scoring a user's
 * items as {@code x_u·B}. The inverse is the one step whose cost, O(items³), needs native code: it comes from
 * LAPACK's symmetric eigensolver through ND4J ({@code syev} on OpenBLAS, all cores), {@code G = V·diag(w)·Vᵀ} so
 * {@code G⁻¹ = (V·diag(w^−½))(V·diag(w^−½))ᵀ}. Why not the obvious routes, measured by hand on 1,682 items with ND4J
 * 1.0.0-M2.1 on two cores: its generic {@code matrix_inverse} op took over 2 minutes and its
 * {@code triangular_solve} op 87 s, while {@code syev} took 2.4 s; the CPU backend's BLAS {@code trsm} and LAPACK
 * {@code getri} wrappers return their input unchanged. Cost grows as items³: 17,632 items would take about 45
 * minutes. Deterministic: no randomness at all.
 */
public final class EaseTrainer implements Trainer {
    /** The algorithm's name. */
    public static final String NAME = "ease";

    /** The L2 penalty λ on B (Steck uses a few hundred for ML-20M). */
    public static final HyperParameter<Double> LAMBDA = HyperParameter.real("lambda", 250, 0, true, 1e9, true, "L2 penalty λ on the item × item weights");
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

    /** {@code G⁻¹} of the symmetric positive-definite {@code G} from its eigendecomposition (see the class comment). */
    private INDArray inverse(float[] gram, int n) {
        // symmetric: the row-major array read as column-major is the same matrix
        INDArray v = Nd4j.create(gram, new long[] { n, n }, 'f');
        INDArray w = Nd4j.create(DataType.FLOAT, n);
        int info = Nd4j.getBlasWrapper().lapack().syev('V', 'U', v, w);
        if (info != 0) {
            throw new IllegalStateException("the eigensolver failed (LAPACK info " + info + "); " + LAMBDA.hint("raise", lambda));
        }
        // λ > 0 makes G positive definite; an eigenvalue that rounding made tiny would blow the inverse up
        if (w.minNumber().doubleValue() <= 0) {
            throw new IllegalStateException("the Gram matrix is not positive definite in float32; " + LAMBDA.hint("raise", lambda));
        }
        INDArray scaled = v.mulRowVector(Transforms.pow(w, -0.5, false).reshape(1, n));
        v.close();
        INDArray inverse = scaled.mmul(scaled.transpose());
        scaled.close();
        return inverse;
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
        return 3;
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
        float[] gram = new float[(int) cells];
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
        control.steps(1);
        INDArray p = inverse(gram, n);
        gram = null; // let the heap copy go
        control.steps(1);
        float[] b;
        try (p) {
            INDArray diagonal = Nd4j.diag(p).reshape(1, n);
            // B[i][j] = −P[i][j] / P[j][j], B[j][j] = 0
            p.diviRowVector(diagonal).negi();
            for (int i = 0; i < n; i++) {
                p.putScalar(i, i, 0);
            }
            b = p.data().asFloat();
        }
        control.steps(1);
        EaseModel model = new EaseModel(data, b, n);
        control.epochDone(1, 0, model, () -> {});
        return model;
    }
}
