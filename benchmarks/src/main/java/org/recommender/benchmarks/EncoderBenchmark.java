package org.recommender.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.recommender.core.encoder.UserEncoder;
import org.recommender.core.model.RandomModels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One user encoded from a history of {@code length} items, as the coordinating node does once per request (issue
 * 17's speed target: at most 1 ms per user): {@code sasrec} at d 64 with 2 blocks, 2 heads and a 64-wide
 * feed-forward (the paper's ML-1M setting), {@code gru4rec} with 64-dimensional items, 128 hidden units and a
 * projection back to 64, and {@code multdae} with a 600-wide bottleneck (the paper's). Random seeded weights: cost
 * does not depend on their values.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector" })
public class EncoderBenchmark {
    @Param({ "50" })
    public int length;

    private UserEncoder sasrec;
    private UserEncoder gru4rec;
    private UserEncoder multdae;
    private float[][] history64;
    private float[][] history600;

    @Setup
    public void setup() {
        sasrec = RandomModels.sasrec(64, Math.max(50, length), 2, 2, 64, 1).compileEncoder();
        gru4rec = RandomModels.gru4rec(64, 128, 64, Math.max(50, length), 1).compileEncoder();
        multdae = RandomModels.multdae(600, Math.max(50, length), 1).compileEncoder();
        SplittableRandom random = new SplittableRandom(7);
        history64 = vectors(random, length, 64);
        history600 = vectors(random, length, 600);
    }

    @Benchmark
    public float[] sasrec() {
        return sasrec.encode(history64, length);
    }

    @Benchmark
    public float[] gru4rec() {
        return gru4rec.encode(history64, length);
    }

    @Benchmark
    public float[] multdae() {
        return multdae.encode(history600, length);
    }

    private static float[][] vectors(SplittableRandom random, int n, int d) {
        float[][] out = new float[n][d];
        for (float[] v : out) {
            for (int c = 0; c < d; c++) {
                v[c] = (float) random.nextDouble(-1, 1);
            }
        }
        return out;
    }
}
