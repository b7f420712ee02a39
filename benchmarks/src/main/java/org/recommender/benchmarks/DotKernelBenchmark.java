package org.recommender.benchmarks;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.infra.Blackhole;
import org.recommender.core.compute.NativeBackend;
import org.recommender.core.compute.NativeThreads;
import org.recommender.core.scoring.Nd4jDotKernel;
import org.recommender.core.scoring.SimdDotKernel;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One user against {@code items} item vectors of dimension {@code dims}: what a {@code script_score} (per
 * document) or a rescorer (per window) costs on each kernel.
 * <ul>
 *   <li>{@code simd}: {@code VectorMath} per item, on the JVM;</li>
 *   <li>{@code nd4jPerCall}: one ND4J gemv call per item, as a per-document script would make;</li>
 *   <li>{@code nd4jBatched}: one bulk copy of all items off-heap plus one gemv;</li>
 *   <li>{@code nd4jResident}: gemv only, items already off-heap (the floor for ND4J).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0" })
public class DotKernelBenchmark {
    @Param({ "1", "10", "100", "1000", "10000" })
    public int items;

    @Param({ "64" })
    public int dims;

    /** Threads per native call; 1 as on a serving node (recommender.native.threads). */
    @Param({ "1" })
    public int nativeThreads;

    private float[] user;
    private float[][] vectors;
    private float[] out;
    private final Nd4jDotKernel nd4j = new Nd4jDotKernel();
    private INDArray residentItems;
    private INDArray residentUser;
    private INDArray residentOut;

    @Setup(Level.Trial)
    public void setUp() {
        if (NativeBackend.load(null).ready() == false) {
            throw new IllegalStateException("ND4J native backend unavailable: " + NativeBackend.current().error());
        }
        NativeThreads.limit(nativeThreads);
        SplittableRandom random = new SplittableRandom(1);
        user = new float[dims];
        for (int k = 0; k < dims; k++) {
            user[k] = (float) random.nextDouble(-1, 1);
        }
        vectors = new float[items][dims];
        float[] flat = new float[items * dims];
        for (int i = 0; i < items; i++) {
            for (int k = 0; k < dims; k++) {
                vectors[i][k] = (float) random.nextDouble(-1, 1);
                flat[i * dims + k] = vectors[i][k];
            }
        }
        out = new float[items];
        residentItems = Nd4j.create(flat, new long[] { items, dims }, DataType.FLOAT);
        residentUser = Nd4j.create(user, new long[] { dims }, DataType.FLOAT);
        residentOut = Nd4j.create(DataType.FLOAT, items);
    }

    @Benchmark
    public float[] simd() {
        SimdDotKernel.INSTANCE.dot(user, vectors, items, out);
        return out;
    }

    @Benchmark
    public void nd4jPerCall(Blackhole bh) {
        float[][] one = new float[1][];
        float[] score = new float[1];
        for (int i = 0; i < items; i++) {
            one[0] = vectors[i];
            nd4j.dot(user, one, 1, score);
            bh.consume(score[0]);
        }
    }

    @Benchmark
    public float[] nd4jBatched() {
        nd4j.dot(user, vectors, items, out);
        return out;
    }

    @Benchmark
    public INDArray nd4jResident() {
        Nd4j.getBlasWrapper().level2().gemv('c', 'N', 1.0, residentItems, residentUser, 0.0, residentOut);
        return residentOut;
    }
}
