package org.recommender.benchmarks;

import org.recommender.core.compute.BackendReport;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.compute.NativeThreads;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.scoring.Activation;

/**
 * The models the scoring benchmarks compare, compiled once per trial with ND4J loaded:
 * <ul>
 *   <li>{@code dot}: the plain {@code dot} model (Lucene VectorUtil per item), the baseline;</li>
 *   <li>{@code mlp*}: MLP over {@code [u, v, u⊙v]}, 3d → 128 → 64 → 1 (ReLU);</li>
 *   <li>{@code neumf*}: NeuMF with a d/2 GMF slice and a d/2 MLP slice, tower d → 32 → 16 (ReLU), sigmoid output;</li>
 *   <li>{@code *Simd}: the JVM kernel ({@code compile(NEVER_ND4J)}): the SIMD batch kernel on the Vector API, which
 *       the benchmark JVM is started with; {@code *Nd4j}: the ND4J kernel
 *       ({@code compile(1)}), items bulk-copied off-heap on every call as in production.</li>
 * </ul>
 */
record BenchmarkModels(ScoringModel dot, ScoringModel mlpSimd, ScoringModel mlpNd4j, ScoringModel neumfSimd, ScoringModel neumfNd4j) {
    /**
     * @param nativeThreads threads per native call ({@link NativeThreads#limit}); 1 as on a serving node
     * @param items the batch size the benchmark scores, to check the kernels are the ones it claims to measure
     */
    static BenchmarkModels create(int dims, int nativeThreads, int items) {
        BackendReport backend = NativeBackend.load(null);
        if (backend.ready() == false) {
            throw new IllegalStateException("ND4J did not load: " + backend.error());
        }
        NativeThreads.limit(nativeThreads);
        ModelBundle mlp = RandomModels.mlp(dims, new int[] { 128, 64 }, 1);
        ModelBundle neumf = RandomModels.neumf(dims, dims / 2, new int[] { 32, 16 }, 2, Activation.SIGMOID);
        BenchmarkModels models = new BenchmarkModels(
            ModelBundle.dot(dims).compile(),
            mlp.compile(ModelBundle.NEVER_ND4J),
            mlp.compile(1),
            neumf.compile(ModelBundle.NEVER_ND4J),
            neumf.compile(1)
        );
        if (models.mlpNd4j.kernelFor(items).equals(ScoringModel.ND4J_KERNEL) == false
            || models.mlpSimd.kernelFor(items).equals(ScoringModel.SIMD_KERNEL) == false) {
            throw new IllegalStateException("the kernels are not the ones this benchmark claims to measure");
        }
        return models;
    }
}
