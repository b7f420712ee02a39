package org.recommender.plugin;

import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.recommender.core.vector.VectorSimilarity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.apache.lucene.tests.util.LuceneTestCase.rarely;
import static org.opensearch.test.OpenSearchTestCase.between;
import static org.opensearch.test.OpenSearchTestCase.randomBoolean;
import static org.opensearch.test.OpenSearchTestCase.random;

/**
 * A test index of random vectors in field {@code emb}, written with Lucene alone (independently of the mapper) in
 * either layout: {@code index: true} as Lucene float vectors, {@code index: false} as little-endian float32 binary doc
 * values. Every document has a keyword {@code id} ({@code d<i>}) and a random {@code tag} ({@code a} or {@code b});
 * with {@code sparse}, some have no vector; a commit every 100 documents makes several segments; then some documents
 * are deleted. The lists record what was written, by document number (segments are in order and never merged).
 */
public final class VectorSegments {
    /** The vector of each document, {@code null} where it has none. */
    public final List<float[]> vectors = new ArrayList<>();
    /** Whether each document was deleted. */
    public final List<Boolean> deleted = new ArrayList<>();
    /** Whether each document has tag {@code a}. */
    public final List<Boolean> tagged = new ArrayList<>();

    private VectorSegments() {}

    /** Writes {@code docs} documents of {@code dims}-dimensional Gaussian vectors into {@code dir}. */
    public static VectorSegments write(Directory dir, boolean indexed, VectorSimilarity similarity, int dims, int docs, boolean sparse)
        throws IOException {
        VectorSegments written = new VectorSegments();
        try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
            for (int i = 0; i < docs; i++) {
                Document doc = new Document();
                doc.add(new StringField("id", "d" + i, Field.Store.NO));
                boolean tag = randomBoolean();
                doc.add(new StringField("tag", tag ? "a" : "b", Field.Store.NO));
                float[] vector = sparse && rarely() ? null : randomVector(dims);
                if (vector != null) {
                    doc.add(indexed ? new KnnFloatVectorField("emb", vector, luceneSimilarity(similarity))
                        : new BinaryDocValuesField("emb", new BytesRef(littleEndian(vector))));
                }
                writer.addDocument(doc);
                written.vectors.add(vector);
                written.tagged.add(tag);
                written.deleted.add(false);
                if (i % 100 == 99) {
                    writer.commit(); // several segments: doc bases other than 0
                }
            }
            for (int i = 0; i < docs; i += between(10, 30)) {
                writer.deleteDocuments(new Term("id", "d" + i));
                written.deleted.set(i, true);
            }
        }
        return written;
    }

    /** @return a vector of {@code dims} standard Gaussian floats */
    public static float[] randomVector(int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random().nextGaussian();
        }
        return v;
    }

    /** The {@code index: false} layout: little-endian float32. */
    private static byte[] littleEndian(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : vector) {
            buffer.putFloat(x);
        }
        return buffer.array();
    }

    private static VectorSimilarityFunction luceneSimilarity(VectorSimilarity similarity) {
        return similarity == VectorSimilarity.COSINE ? VectorSimilarityFunction.COSINE : VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
    }
}
