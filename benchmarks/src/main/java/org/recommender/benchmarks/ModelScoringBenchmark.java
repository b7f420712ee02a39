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
import org.recommender.core.compute.NativeThreads;
import org.recommender.core.model.ModelBundle;
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.scoring.KernelProvider;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a rescorer pays to score one user's window of {@code items} item vectors (d = {@code dims}) with a model
 * bundle, per model type and kernel ({@link BenchmarkModels}) — the numbers behind
 * {@link KernelProvider#SIMD_CROSSOVER}. The vectors are already on the heap: kernels only. Vectors are fresh {@code float[]}s on the heap, as a rescorer reads them from doc values. Native calls are capped
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
    private ScoringModel mlpSimd;
    private ScoringModel mlpNd4j;
    private ScoringModel neumfSimd;
    private ScoringModel neumfNd4j;

    @Setup(Level.Trial)
    public void setUp() {
        BenchmarkModels models = BenchmarkModels.create(dims, nativeThreads, items);
        SplittableRandom random = new SplittableRandom(1);
        user = RandomModels.vector(random, dims);
        vectors = new float[items][];
        for (int i = 0; i < items; i++) {
            vectors[i] = RandomModels.vector(random, dims);
        }
        out = new float[items];
        dot = models.dot();
        mlpSimd = models.mlpSimd();
        mlpNd4j = models.mlpNd4j();
        neumfSimd = models.neumfSimd();
        neumfNd4j = models.neumfNd4j();
    }

    @Benchmark
    public float[] dot() {
        dot.score(user, vectors, items, out);
        return out;
    }

    @Benchmark
    public float[] mlpSimd() {
        mlpSimd.score(user, vectors, items, out);
        return out;
    }

    @Benchmark
    public float[] mlpNd4j() {
        mlpNd4j.score(user, vectors, items, out);
        return out;
    }

    @Benchmark
    public float[] neumfSimd() {
        neumfSimd.score(user, vectors, items, out);
        return out;
    }

    @Benchmark
    public float[] neumfNd4j() {
        neumfNd4j.score(user, vectors, items, out);
        return out;
    }
}
