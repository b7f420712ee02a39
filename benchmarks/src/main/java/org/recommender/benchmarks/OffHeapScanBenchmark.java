package org.recommender.benchmarks;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocAndFloatFeatureBuffer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.store.Directory;
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
import org.recommender.core.vector.VectorMath;
import org.recommender.core.vector.VectorSimilarity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Why exact scoring of {@code index: true} fields still copies each vector out of the mapped file (issue 19): Lucene
 * 10.5's own off-heap bulk scorer ({@code FloatVectorValues.scorer(query).bulk(...)}, which scores straight on the
 * memory-mapped vectors) is faster, but its scores are not bit-identical to {@link VectorMath#dot}'s, which every
 * other surface of the plugin (the per-document script, the rescorer, the agreement tests) computes. One
 * force-merged Lucene segment of {@code docs} seeded Gaussian vectors, {@code MAXIMUM_INNER_PRODUCT} (what an
 * {@code embedding} field with {@code dot} indexes). How many of the segment's scores differ, and by how many ulps at
 * most, is printed twice: in setup, before anything is compiled, and in teardown, after the measured scans, when
 * Lucene's scorer runs compiled ({@code VectorMath} gives the same bits either way); the two benchmarks time one
 * whole scan each way:
 * <ul>
 *   <li>{@code readAndVectorMath}: what the plugin does — each vector read out of the file onto the heap (one
 *       {@code readFloats}), {@code VectorMath}'s dot product, the {@code dot} score transform;</li>
 *   <li>{@code luceneOffHeapBulk}: Lucene's bulk scorer over all documents, scores in its buffer.</li>
 * </ul>
 * Run with {@code benchmarks/jmh.sh OffHeapScanBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "--add-modules=jdk.incubator.vector" })
public class OffHeapScanBenchmark {
    @Param({ "200000" })
    public int docs;

    @Param({ "64", "256" })
    public int dims;

    private Path path;
    private Directory directory;
    private DirectoryReader reader;
    private FloatVectorValues values;
    private float[] query;
    private DocAndFloatFeatureBuffer buffer;
    private float[][] vectors;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        path = Files.createTempDirectory("offheap-scan");
        SplittableRandom random = new SplittableRandom(19);
        vectors = new float[docs][dims];
        // a small HNSW graph (4 links, beam 8): the graph is not what is measured, only what indexing the field costs
        Codec codec = new FilterCodec(Codec.getDefault().getName(), Codec.getDefault()) {
            @Override
            public KnnVectorsFormat knnVectorsFormat() {
                return new PerFieldKnnVectorsFormat() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return new Lucene99HnswVectorsFormat(4, 8);
                    }
                };
            }
        };
        IndexWriterConfig config = new IndexWriterConfig().setRAMBufferSizeMB(256).setCodec(codec);
        try (Directory dir = new MMapDirectory(path); IndexWriter writer = new IndexWriter(dir, config)) {
            for (int i = 0; i < docs; i++) {
                for (int k = 0; k < dims; k++) {
                    vectors[i][k] = (float) gaussian(random);
                }
                Document doc = new Document();
                doc.add(new KnnFloatVectorField("v", vectors[i], VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
        }
        directory = new MMapDirectory(path);
        reader = DirectoryReader.open(directory);
        LeafReader leaf = reader.leaves().get(0).reader();
        values = leaf.getFloatVectorValues("v");
        query = new float[dims];
        for (int k = 0; k < dims; k++) {
            query[k] = (float) gaussian(random);
        }
        buffer = new DocAndFloatFeatureBuffer();
        agreement("cold");
    }

    /** Prints how many of Lucene's off-heap scores differ from {@code VectorMath}'s on the same floats and transform. */
    private void agreement(String when) throws IOException {
        float[] lucene = new float[docs];
        VectorScorer.Bulk bulk = values.scorer(query).bulk(DocIdSetIterator.all(docs));
        for (bulk.nextDocsAndScores(DocIdSetIterator.NO_MORE_DOCS, null, buffer); buffer.size > 0;
            bulk.nextDocsAndScores(DocIdSetIterator.NO_MORE_DOCS, null, buffer)) {
            for (int i = 0; i < buffer.size; i++) {
                lucene[buffer.docs[i]] = buffer.features[i];
            }
        }
        int differ = 0;
        int maxUlps = 0;
        for (int doc = 0; doc < docs; doc++) {
            float ours = VectorSimilarity.DOT_PRODUCT.toScore(VectorMath.dot(query, vectors[doc]));
            int ulps = Math.abs(Float.floatToRawIntBits(ours) - Float.floatToRawIntBits(lucene[doc]));
            differ += ulps == 0 ? 0 : 1;
            maxUlps = Math.max(maxUlps, ulps);
        }
        System.out.printf("%nd = %d, %s: %d of %d Lucene off-heap scores differ from VectorMath's, by up to %d ulps%n", dims, when, differ, docs, maxUlps);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on every JDK this builds on
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        agreement("compiled (after the measured scans)");
        reader.close();
        directory.close();
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public float readAndVectorMath() throws IOException {
        float best = Float.NEGATIVE_INFINITY;
        for (int ord = 0; ord < docs; ord++) {
            best = Math.max(best, VectorSimilarity.DOT_PRODUCT.toScore(VectorMath.dot(query, values.vectorValue(ord))));
        }
        return best;
    }

    @Benchmark
    public float luceneOffHeapBulk() throws IOException {
        float best = Float.NEGATIVE_INFINITY;
        VectorScorer.Bulk bulk = values.scorer(query).bulk(DocIdSetIterator.all(docs));
        for (bulk.nextDocsAndScores(DocIdSetIterator.NO_MORE_DOCS, null, buffer); buffer.size > 0;
            bulk.nextDocsAndScores(DocIdSetIterator.NO_MORE_DOCS, null, buffer)) {
            for (int i = 0; i < buffer.size; i++) {
                best = Math.max(best, buffer.features[i]);
            }
        }
        return best;
    }
}
