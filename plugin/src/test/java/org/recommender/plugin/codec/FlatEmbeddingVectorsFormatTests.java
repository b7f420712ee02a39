package org.recommender.plugin.codec;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.TestUtil;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.hamcrest.Matchers.equalTo;

/**
 * The graph-less vector format: vectors written and merged come back bit for bit, no graph file is written, Lucene
 * finds the format by name when it opens the segments, and a Lucene vector query on it finds the true top k (with and
 * without a filter, around deleted documents and documents without a vector), checked against a double-precision
 * scan of the vectors as written.
 */
public class FlatEmbeddingVectorsFormatTests extends OpenSearchTestCase {
    private static final VectorSimilarityFunction MIP = VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;

    public void testVectorsComeBackAndSearchFindsTheExactTopK() throws IOException {
        for (int dims : new int[] { 8, 2048 }) {
            int docs = dims == 8 ? 700 : 120;
            Random random = new Random(31L * dims);
            Map<String, float[]> written = new HashMap<>();
            try (Directory dir = newFSDirectory(createTempDir())) {
                IndexWriterConfig config = new IndexWriterConfig().setCodec(TestUtil.alwaysKnnVectorsFormat(new FlatEmbeddingVectorsFormat()));
                try (IndexWriter writer = new IndexWriter(dir, config)) {
                    for (int i = 0; i < docs; i++) {
                        Document doc = new Document();
                        String id = "d" + i;
                        doc.add(new StringField("id", id, Field.Store.YES));
                        doc.add(new StringField("half", i % 2 == 0 ? "even" : "odd", Field.Store.NO));
                        if (i % 7 != 3) { // some documents have no vector
                            float[] v = new float[dims];
                            for (int d = 0; d < dims; d++) {
                                v[d] = (float) random.nextGaussian();
                            }
                            doc.add(new KnnFloatVectorField("emb", v, MIP));
                            written.put(id, v);
                        }
                        writer.addDocument(doc);
                        if (i % 150 == 149) {
                            writer.flush(); // several segments, merged below
                        }
                    }
                    for (int i = 0; i < docs; i += 11) {
                        writer.deleteDocuments(new Term("id", "d" + i));
                        written.remove("d" + i);
                    }
                    writer.commit();
                    writer.forceMerge(1);
                }
                List<String> files = Arrays.asList(dir.listAll());
                assertThat("the flat vector file is written", files.stream().anyMatch(f -> f.endsWith(".vec")), equalTo(true));
                assertThat("no graph file", files.stream().filter(f -> f.endsWith(".vex")).toList(), equalTo(List.of()));

                try (DirectoryReader reader = DirectoryReader.open(dir)) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    Map<String, float[]> read = readBack(reader, searcher);
                    assertEquals(written.keySet(), read.keySet());
                    for (Map.Entry<String, float[]> e : written.entrySet()) {
                        assertArrayEquals(e.getKey(), e.getValue(), read.get(e.getKey()), 0f);
                    }
                    float[] target = new float[dims];
                    for (int d = 0; d < dims; d++) {
                        target[d] = (float) random.nextGaussian();
                    }
                    assertTopK(searcher, new KnnFloatVectorQuery("emb", target, 10), written, target, id -> true);
                    Query even = new TermQuery(new Term("half", "even"));
                    assertTopK(searcher, new KnnFloatVectorQuery("emb", target, 10, even), written, target, id -> Integer.parseInt(id.substring(1)) % 2 == 0);
                }
            }
        }
    }

    /** Every live document's vector, by id. */
    private static Map<String, float[]> readBack(DirectoryReader reader, IndexSearcher searcher) throws IOException {
        Map<String, float[]> read = new HashMap<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            LeafReader segment = leaf.reader();
            FloatVectorValues values = segment.getFloatVectorValues("emb");
            KnnVectorValues.DocIndexIterator it = values.iterator();
            for (int doc = it.nextDoc(); doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (segment.getLiveDocs() == null || segment.getLiveDocs().get(doc)) {
                    read.put(searcher.storedFields().document(leaf.docBase + doc).get("id"), values.vectorValue(it.index()).clone());
                }
            }
        }
        return read;
    }

    private static void assertTopK(
        IndexSearcher searcher,
        Query query,
        Map<String, float[]> written,
        float[] target,
        java.util.function.Predicate<String> accepted
    ) throws IOException {
        TopDocs top = searcher.search(query, 10);
        // the reference: every accepted vector's inner product in double precision, Lucene's MIP transform applied
        List<Map.Entry<String, Double>> expected = written.entrySet()
            .stream()
            .filter(e -> accepted.test(e.getKey()))
            .map(e -> Map.entry(e.getKey(), mip(dot(target, e.getValue()))))
            .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
            .limit(10)
            .toList();
        assertThat(top.scoreDocs.length, equalTo(10));
        for (int i = 0; i < 10; i++) {
            ScoreDoc hit = top.scoreDocs[i];
            String id = searcher.storedFields().document(hit.doc).get("id");
            assertThat("rank " + i, id, equalTo(expected.get(i).getKey()));
            assertEquals("rank " + i, expected.get(i).getValue(), hit.score, 1e-5 * Math.max(1, Math.abs(expected.get(i).getValue())));
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** Lucene's {@code MAXIMUM_INNER_PRODUCT} score of an inner product (its scaling, in double precision). */
    private static double mip(double dot) {
        return dot < 0 ? 1 / (1 - dot) : dot + 1;
    }
}
