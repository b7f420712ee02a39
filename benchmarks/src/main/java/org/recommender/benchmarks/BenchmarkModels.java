package org.recommender.benchmarks;

import org.recommender.core.compute.BackendReport;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.compute.NativeThreads;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.scoring.Activation;
import org.recommender.core.scoring.Kernel;
import org.recommender.core.scoring.KernelProvider;

/**
 * The models the scoring benchmarks compare, compiled once per trial with ND4J loaded:
 * <ul>
 *   <li>{@code dot}: the plain {@code dot} model ({@code VectorMath} per item), the baseline;</li>
 *   <li>{@code mlp*}: MLP over {@code [u, v, u⊙v]}, 3d → 128 → 64 → 1 (ReLU);</li>
 *   <li>{@code neumf*}: NeuMF with a d/2 GMF slice and a d/2 MLP slice, tower d → 32 → 16 (ReLU), sigmoid output;</li>
 *   <li>{@code *Simd}: the JVM kernel ({@code compile(KernelProvider.jvmOnly())}): the SIMD batch kernel on the Vector API, which
 *       the benchmark JVM is started with; {@code *Nd4j}: the ND4J kernel
 *       ({@code compile(KernelProvider.withCrossover(1))}), items bulk-copied off-heap on every call as in production.</li>
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
            mlp.compile(KernelProvider.jvmOnly()),
            mlp.compile(KernelProvider.withCrossover(1)),
            neumf.compile(KernelProvider.jvmOnly()),
            neumf.compile(KernelProvider.withCrossover(1))
        );
        if (models.mlpNd4j.kernelFor(items) != Kernel.ND4J || models.mlpSimd.kernelFor(items) != Kernel.SIMD) {
            throw new IllegalStateException("the kernels are not the ones this benchmark claims to measure");
        }
        return models;
    }
}
