package org.recommender.benchmarks;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteBuffersDirectory;
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
import org.recommender.core.model.RandomModels;
import org.recommender.core.model.ScoringModel;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A whole rescoring window, as the {@code recommender} rescorer does it on a shard: read the window's item vectors
 * from a Lucene segment (float32 vector values, documents in increasing order, copied into reused rows), then score
 * them with one batched call. {@link ModelScoringBenchmark} measures the scoring alone; this is what a window
 * costs end to end, per model ({@link BenchmarkModels}). The segment holds {@code segmentDocs} vectors of
 * {@code dims} dimensions; each invocation rescores the same random {@code items} documents.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0" })
public class RescoreWindowBenchmark {
    @Param({ "100", "1000", "10000" })
    public int items;

    @Param({ "64" })
    public int dims;

    @Param({ "50000" })
    public int segmentDocs;

    @Param({ "1" })
    public int nativeThreads;

    private ByteBuffersDirectory directory;
    private DirectoryReader reader;
    private LeafReader leaf;
    private int[] window;
    private float[] user;
    private float[][] rows;
    private float[] out;
    private BenchmarkModels models;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        models = BenchmarkModels.create(dims, nativeThreads, items);
        SplittableRandom random = new SplittableRandom(3);
        directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig().setRAMBufferSizeMB(512))) {
            for (int i = 0; i < segmentDocs; i++) {
                Document doc = new Document();
                doc.add(new KnnFloatVectorField("v", RandomModels.vector(random, dims), VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
        }
        reader = DirectoryReader.open(directory);
        leaf = reader.leaves().get(0).reader();
        window = random.ints(0, segmentDocs).distinct().limit(items).sorted().toArray();
        user = RandomModels.vector(random, dims);
        rows = new float[items][dims];
        out = new float[items];
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reader.close();
        directory.close();
    }

    /** Reads the window's vectors the way the rescorer does: one forward pass over the segment's vector values. */
    private int readWindow() throws IOException {
        FloatVectorValues values = leaf.getFloatVectorValues("v");
        KnnVectorValues.DocIndexIterator iterator = values.iterator();
        int count = 0;
        for (int doc : window) {
            if (iterator.docID() < doc) {
                iterator.advance(doc);
            }
            if (iterator.docID() == doc) {
                System.arraycopy(values.vectorValue(iterator.index()), 0, rows[count++], 0, dims);
            }
        }
        return count;
    }

    private float[] rescore(ScoringModel model) throws IOException {
        int count = readWindow();
        model.score(user, rows, count, out);
        return out;
    }

    @Benchmark
    public float[] dot() throws IOException {
        return rescore(models.dot());
    }

    @Benchmark
    public float[] mlpSimd() throws IOException {
        return rescore(models.mlpSimd());
    }

    @Benchmark
    public float[] mlpNd4j() throws IOException {
        return rescore(models.mlpNd4j());
    }

    @Benchmark
    public float[] neumfSimd() throws IOException {
        return rescore(models.neumfSimd());
    }

    @Benchmark
    public float[] neumfNd4j() throws IOException {
        return rescore(models.neumfNd4j());
    }

    /** The read alone, for the share of the window it takes. */
    @Benchmark
    public int readOnly() throws IOException {
        return readWindow();
    }
}
