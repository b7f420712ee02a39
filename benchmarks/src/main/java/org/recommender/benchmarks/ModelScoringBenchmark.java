package org.recommender.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.recommender.core.compute.BackendReport;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.compute.NativeThreads;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.scoring.Activation;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a rescorer pays to score one user's window of {@code items} item vectors (d = {@code dims}) with a model
 * bundle, per model type and kernel — the numbers behind {@link ModelBundle#DEFAULT_CROSSOVER}:
 * <ul>
 *   <li>{@code dot}: the plain {@code dot} model (Lucene VectorUtil per item), the baseline;</li>
 *   <li>{@code mlp*}: MLP over {@code [u, v, u⊙v]}, 3d → 128 → 64 → 1 (ReLU);</li>
 *   <li>{@code neumf*}: NeuMF with a d/2 GMF slice and a d/2 MLP slice, tower d → 32 → 16 (ReLU), sigmoid output;</li>
 *   <li>{@code *Java}: the Java kernel ({@code compile(NEVER_ND4J)}); {@code *Nd4j}: the ND4J kernel
 *       ({@code compile(1)}), items bulk-copied off-heap on every call as in production.</li>
 * </ul>
 * Vectors are fresh {@code float[]}s on the heap, as a rescorer reads them from doc values. Native calls are capped
 * at {@code nativeThreads} threads ({@link NativeThreads#limit}), 1 by default as on a serving node; pass
 * {@code -p nativeThreads=2} to see what intra-op threads do on a shared machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0" })
public class ModelScoringBenchmark {
    @Param({ "30", "100", "300", "1000", "10000" })
    public int items;

    @Param({ "64" })
    public int dims;

    @Param({ "1" })
    public int nativeThreads;

    private float[] user;
    private float[][] vectors;
    private float[] out;
    private ScoringModel dot;
    private ScoringModel mlpJava;
    private ScoringModel mlpNd4j;
    private ScoringModel neumfJava;
    private ScoringModel neumfNd4j;

    @Setup(Level.Trial)
    public void setUp() {
        BackendReport backend = NativeBackend.load(null);
        if (backend.ready() == false) {
            throw new IllegalStateException("ND4J did not load: " + backend.error());
        }
        NativeThreads.limit(nativeThreads);
        SplittableRandom random = new SplittableRandom(1);
        user = RandomModels.vector(random, dims);
        vectors = new float[items][];
        for (int i = 0; i < items; i++) {
            vectors[i] = RandomModels.vector(random, dims);
        }
        out = new float[items];
        dot = ModelBundle.dot(dims).compile();
        ModelBundle mlp = RandomModels.mlp(dims, new int[] { 128, 64 }, 1);
        ModelBundle neumf = RandomModels.neumf(dims, dims / 2, new int[] { 32, 16 }, 2, Activation.SIGMOID);
        mlpJava = mlp.compile(ModelBundle.NEVER_ND4J);
        mlpNd4j = mlp.compile(1);
        neumfJava = neumf.compile(ModelBundle.NEVER_ND4J);
        neumfNd4j = neumf.compile(1);
        if (mlpNd4j.kernelFor(items).equals(ScoringModel.ND4J_KERNEL) == false || mlpJava.kernelFor(items).equals(ScoringModel.JAVA_KERNEL) == false) {
            throw new IllegalStateException("the kernels are not the ones this benchmark claims to measure");
        }
    }

    @Benchmark
    public float[] dot() {
        dot.score(user, vectors, items, out);
        return out;
    }

    @Benchmark
    public float[] mlpJava() {
        mlpJava.score(user, vectors, items, out);
        return out;
    }

    @Benchmark
    public float[] mlpNd4j() {
        mlpNd4j.score(user, vectors, items, out);
        return out;
    }

    @Benchmark
    public float[] neumfJava() {
        neumfJava.score(user, vectors, items, out);
        return out;
    }

    @Benchmark
    public float[] neumfNd4j() {
        neumfNd4j.score(user, vectors, items, out);
        return out;
    }
}
