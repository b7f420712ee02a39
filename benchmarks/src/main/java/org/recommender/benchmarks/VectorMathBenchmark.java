package org.recommender.benchmarks;

import org.apache.lucene.util.VectorUtil;
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
import org.recommender.core.vector.VectorMath;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the reproducible lane sum of {@link VectorMath} costs against Lucene's {@link VectorUtil}, which it replaced:
 * one query against {@code rows} seeded Gaussian vectors already on the heap (64 × 4,096 floats at d = 64 stay in
 * the L2 cache, so this times the arithmetic, not memory), each call's result summed so none is dead code. Setup
 * prints, for the {@code rows} results, how many of each kernel's changed in any bit between its first pass in the
 * fresh fork (cold: interpreted, then C1) and a pass after 300 more (compiled), and how many differ between the two
 * kernels once both are compiled.
 * Run with {@code benchmarks/jmh.sh VectorMathBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = { "--add-modules=jdk.incubator.vector" })
public class VectorMathBenchmark {
    @Param({ "4096" })
    public int rows;

    @Param({ "16", "64", "100", "256", "768" })
    public int dims;

    private float[] query;
    private float[][] items;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(23);
        query = gaussian(random, dims);
        items = new float[rows][];
        for (int i = 0; i < rows; i++) {
            items[i] = gaussian(random, dims);
        }
        int[] coldUtil = new int[rows];
        int[] coldMath = new int[rows];
        for (int i = 0; i < rows; i++) { // the fork's first calls of either kernel
            coldUtil[i] = Float.floatToRawIntBits(VectorUtil.dotProduct(query, items[i]));
            coldMath[i] = Float.floatToRawIntBits(VectorMath.dot(query, items[i]));
        }
        int utilChanged = 0;
        int mathChanged = 0;
        int differ = 0;
        for (int round = 0; round < 300; round++) { // enough calls for both to be compiled before the last round
            utilChanged = 0;
            mathChanged = 0;
            differ = 0;
            for (int i = 0; i < rows; i++) {
                int util = Float.floatToRawIntBits(VectorUtil.dotProduct(query, items[i]));
                int math = Float.floatToRawIntBits(VectorMath.dot(query, items[i]));
                utilChanged += util == coldUtil[i] ? 0 : 1;
                mathChanged += math == coldMath[i] ? 0 : 1;
                differ += util == math ? 0 : 1;
            }
        }
        System.out.printf("%nd = %d: of %d results, %d of VectorUtil.dotProduct's and %d of VectorMath.dot's changed from the "
            + "cold first pass to the compiled one; %d differ between the two compiled%n", dims, rows, utilChanged, mathChanged, differ);
    }

    private static float[] gaussian(SplittableRandom random, int dims) {
        float[] v = new float[dims];
        for (int k = 0; k < dims; k++) {
            // Box-Muller: SplittableRandom has no nextGaussian on every JDK this builds on
            v[k] = (float) (Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return v;
    }

    @Benchmark
    public float vectorUtil() {
        float sum = 0;
        for (float[] item : items) {
            sum += VectorUtil.dotProduct(query, item);
        }
        return sum;
    }

    @Benchmark
    public float vectorMath() {
        float sum = 0;
        for (float[] item : items) {
            sum += VectorMath.dot(query, item);
        }
        return sum;
    }
}
