package org.recommender.benchmarks;

import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.MMapDirectory;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.recommender.core.rank.BoundedTopK;
import org.recommender.core.vector.VectorMath;
import org.recommender.core.vector.VectorSimilarity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where an exact top-10 over one dense segment spends its time (issue 19): {@code docs} vectors of {@code dims}
 * float32 in one memory-mapped file laid out as Lucene's flat vector file is (vector i at {@code i · dims · 4}), read
 * the way the plugin's {@code KnnEmbeddingValues.readBlock} reads it, in blocks of 64 rows as {@code ExactBlockScan}
 * scores them. Each operation is one whole scan; the stages add up:
 * <ul>
 *   <li>{@code dotInHeap}: the arithmetic alone — {@code VectorMath.dot} over rows already on the heap;</li>
 *   <li>{@code readPerRow}: one {@code seek} + {@code readFloats} per vector into reused rows, nothing scored;</li>
 *   <li>{@code readPerRowAndDot}: the two together;</li>
 *   <li>{@code scanPerRow}: the committed scan's work: read per row, dot, score transform, primitive top-10;</li>
 *   <li>{@code scanDirectDot}: as {@code scanPerRow}, with {@code VectorMath.dot} called in the loop instead of
 *       through {@code VectorSimilarity.Prepared};</li>
 *   <li>{@code readPerRowAndPrepared}: read and {@code Prepared.raw} only, no top-k;</li>
 *   <li>{@code scanPerBlock}: the same, but one {@code readFloats} per block of consecutive documents into one flat
 *       buffer, then copied into the rows.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "--add-modules=jdk.incubator.vector" })
public class ExactScanBenchmark {
    private static final int BLOCK = 64;

    @Param({ "200000" })
    public int docs;

    @Param({ "64" })
    public int dims;

    private Path dir;
    private Directory directory;
    private IndexInput input;
    private float[] query;
    private float[][] heapRows;
    private float[][] rows;
    private float[] flat;
    private float[] raw;
    private final VectorSimilarity similarity = VectorSimilarity.DOT_PRODUCT;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SplittableRandom random = new SplittableRandom(19);
        dir = Files.createTempDirectory("exact-scan");
        directory = new MMapDirectory(dir);
        heapRows = new float[docs][dims];
        try (IndexOutput out = directory.createOutput("vectors", IOContext.DEFAULT)) {
            for (int d = 0; d < docs; d++) {
                for (int k = 0; k < dims; k++) {
                    float v = (float) random.nextGaussian();
                    heapRows[d][k] = v;
                    out.writeInt(Float.floatToIntBits(v)); // little-endian, as Lucene's vector files
                }
            }
        }
        input = directory.openInput("vectors", IOContext.DEFAULT);
        query = new float[dims];
        for (int k = 0; k < dims; k++) {
            query[k] = (float) random.nextGaussian();
        }
        rows = new float[BLOCK][dims];
        flat = new float[BLOCK * dims];
        raw = new float[BLOCK];
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        input.close();
        directory.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** What {@code KnnEmbeddingValues.readBlock} does for a dense segment: one seek and one readFloats per row. */
    private void readRows(int base, int n) throws IOException {
        long bytes = (long) dims * Float.BYTES;
        for (int i = 0; i < n; i++) {
            input.seek((base + i) * bytes);
            input.readFloats(rows[i], 0, dims);
        }
    }

    @Benchmark
    public float dotInHeap() {
        float sum = 0;
        for (float[] row : heapRows) {
            sum += VectorMath.dot(query, row);
        }
        return sum;
    }

    @Benchmark
    public float readPerRow() throws IOException {
        float sum = 0;
        for (int base = 0; base < docs; base += BLOCK) {
            int n = Math.min(BLOCK, docs - base);
            readRows(base, n);
            sum += rows[n - 1][0];
        }
        return sum;
    }

    @Benchmark
    public float readPerRowAndDot() throws IOException {
        float sum = 0;
        for (int base = 0; base < docs; base += BLOCK) {
            int n = Math.min(BLOCK, docs - base);
            readRows(base, n);
            for (int i = 0; i < n; i++) {
                sum += VectorMath.dot(query, rows[i]);
            }
        }
        return sum;
    }

    @Benchmark
    public int scanPerRow() throws IOException {
        VectorSimilarity.Prepared prepared = similarity.prepare(query);
        BoundedTopK top = new BoundedTopK(10);
        for (int base = 0; base < docs; base += BLOCK) {
            int n = Math.min(BLOCK, docs - base);
            readRows(base, n);
            prepared.raw(rows, n, raw);
            for (int i = 0; i < n; i++) {
                top.offer(base + i, similarity.toScore(raw[i]));
            }
        }
        return top.id(0);
    }

    @Benchmark
    public int scanDirectDot() throws IOException {
        BoundedTopK top = new BoundedTopK(10);
        for (int base = 0; base < docs; base += BLOCK) {
            int n = Math.min(BLOCK, docs - base);
            readRows(base, n);
            for (int i = 0; i < n; i++) {
                raw[i] = VectorMath.dot(query, rows[i]);
            }
            for (int i = 0; i < n; i++) {
                top.offer(base + i, similarity.toScore(raw[i]));
            }
        }
        return top.id(0);
    }

    @Benchmark
    public float readPerRowAndPrepared() throws IOException {
        VectorSimilarity.Prepared prepared = similarity.prepare(query);
        float sum = 0;
        for (int base = 0; base < docs; base += BLOCK) {
            int n = Math.min(BLOCK, docs - base);
            readRows(base, n);
            prepared.raw(rows, n, raw);
            sum += raw[n - 1];
        }
        return sum;
    }

    @Benchmark
    public int scanPerBlock() throws IOException {
        VectorSimilarity.Prepared prepared = similarity.prepare(query);
        BoundedTopK top = new BoundedTopK(10);
        long bytes = (long) dims * Float.BYTES;
        for (int base = 0; base < docs; base += BLOCK) {
            int n = Math.min(BLOCK, docs - base);
            input.seek(base * bytes);
            input.readFloats(flat, 0, n * dims);
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, i * dims, rows[i], 0, dims);
            }
            prepared.raw(rows, n, raw);
            for (int i = 0; i < n; i++) {
                top.offer(base + i, similarity.toScore(raw[i]));
            }
        }
        return top.id(0);
    }
}
