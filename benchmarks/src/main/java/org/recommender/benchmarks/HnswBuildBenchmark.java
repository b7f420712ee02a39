package org.recommender.benchmarks;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The floor under the plugin's bulk indexing rate for an {@code embedding} field with {@code "index": true}: Lucene
 * alone, one thread, no OpenSearch and no JSON, writing {@code vectors} seeded Gaussian vectors of {@code dims}
 * dimensions into one segment — with the HNSW graph the field gets (Lucene's default m 16, beam width 100, the
 * maximum-inner-product similarity of {@code dot_product}), the same graph over Lucene's scalar-quantized vectors
 * ({@code hnsw_int8}, which the plugin does not use), or as the 4-byte-per-dimension binary doc value an
 * {@code "index": false} field stores. One cold shot per trial (seconds per index, JIT warm-up included, which
 * dominates the sub-second doc-values case); documents per second is {@code vectors} divided by the score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-modules=jdk.incubator.vector" })
public class HnswBuildBenchmark {
    @Param({ "200000" })
    public int vectors;

    @Param({ "64" })
    public int dims;

    @Param({ "hnsw", "hnsw_int8", "doc_values" })
    public String storage;

    private float[][] data;

    @Setup(Level.Trial)
    public void generate() {
        SplittableRandom random = new SplittableRandom(1);
        data = new float[vectors][dims];
        for (float[] vector : data) {
            for (int k = 0; k < dims; k++) {
                vector[k] = (float) gaussian(random);
            }
        }
    }

    @Benchmark
    public int index() throws IOException {
        KnnVectorsFormat hnsw = storage.equals("hnsw_int8") ? new Lucene104HnswScalarQuantizedVectorsFormat() : new Lucene99HnswVectorsFormat();
        Codec codec = new FilterCodec(Codec.getDefault().getName(), Codec.getDefault()) {
            @Override
            public KnnVectorsFormat knnVectorsFormat() {
                return new PerFieldKnnVectorsFormat() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return hnsw;
                    }
                };
            }
        };
        // a buffer that holds every vector and its graph: one segment, no merge; besides the insertions, the time
        // includes opening the writer, the commit that writes the segment, and closing
        IndexWriterConfig config = new IndexWriterConfig().setCodec(codec).setRAMBufferSizeMB(1024);
        ByteBuffer bytes = ByteBuffer.allocate(4 * dims).order(ByteOrder.LITTLE_ENDIAN);
        try (ByteBuffersDirectory directory = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(directory, config)) {
            for (float[] vector : data) {
                Document doc = new Document();
                if (storage.startsWith("hnsw")) {
                    doc.add(new KnnFloatVectorField("v", vector, VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT));
                } else {
                    bytes.clear();
                    bytes.asFloatBuffer().put(vector);
                    doc.add(new BinaryDocValuesField("v", new BytesRef(bytes.array().clone())));
                }
                writer.addDocument(doc);
            }
            writer.commit();
            return writer.getDocStats().maxDoc;
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
