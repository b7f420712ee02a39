package org.recommender.plugin.script;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.opensearch.test.OpenSearchTestCase;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.ReferenceScores;
import org.recommender.plugin.VectorSegments;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.HnswParameters;
import org.recommender.plugin.mapper.VectorBlock;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code script_score}'s bulk scorer ({@link ScriptBulkScorer}) against the per-document script's formula
 * ({@code toScore(prepared.raw(vector)) × boost}, or 0 without a vector) on random vectors in both layouts, over
 * several segments with documents lacking a vector, deleted documents, a sub-query that matches all or some, random
 * boosts and random score windows: every match collected once, in order, with the per-document score to the last
 * bit, which a double-precision reference agrees with.
 */
public class ScriptBulkScorerTests extends OpenSearchTestCase {
    public void testBulkScoresEqualThePerDocumentScriptOnBothLayouts() throws IOException {
        for (boolean indexed : new boolean[] { true, false }) {
            for (VectorSimilarity similarity : new VectorSimilarity[] { VectorSimilarity.DOT_PRODUCT, VectorSimilarity.COSINE }) {
                check(indexed, similarity, randomFrom(3, 16, 64, 65, 300, 1024), randomBoolean());
            }
        }
    }

    private void check(boolean indexed, VectorSimilarity similarity, int dims, boolean sparse) throws IOException {
        String what = (indexed ? "index: true" : "index: false") + ", " + similarity + ", d " + dims + (sparse ? ", sparse" : ", dense");
        int docs = between(2 * VectorBlock.SIZE + 1, 3 * VectorBlock.SIZE + 100);
        try (Directory dir = newDirectory()) {
            VectorSegments written = VectorSegments.write(dir, indexed, similarity, dims, docs, sparse);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertTrue(what, reader.leaves().size() > 1);
                IndexSearcher searcher = newSearcher(reader, false, false, false);
                EmbeddingFieldType field = new EmbeddingFieldType("emb", dims, similarity, indexed, HnswParameters.DEFAULT, Map.of());
                PairScorer scorer = PairScorer.of(similarity);
                for (Query subQuery : new Query[] { new MatchAllDocsQuery(), new TermQuery(new Term("tag", "a")) }) {
                    float[] target = VectorSegments.randomVector(dims);
                    VectorSimilarity.Prepared prepared = scorer.prepare(target);
                    float boost = randomFrom(1f, 0.5f, randomFloat() * 3);
                    Weight weight = searcher.createWeight(searcher.rewrite(subQuery), ScoreMode.COMPLETE_NO_SCORES, 1f);
                    String where = what + ", " + subQuery + ", boost " + boost;
                    int collected = 0;
                    for (LeafReaderContext leaf : reader.leaves()) {
                        BulkScorer matches = weight.bulkScorer(leaf);
                        if (matches == null) {
                            continue;
                        }
                        BulkScorer bulk = new ScriptBulkScorer(matches, field.values(leaf.reader()), scorer, prepared::raw, dims, boost);
                        List<float[]> hits = collectInRandomWindows(bulk, leaf.reader().getLiveDocs(), leaf.reader().maxDoc());
                        int previous = -1;
                        for (float[] hit : hits) {
                            int doc = (int) hit[0];
                            int global = leaf.docBase + doc;
                            assertTrue(where + ": documents in increasing order", doc > previous);
                            previous = doc;
                            assertFalse(where + ": doc " + global + " is deleted", written.deleted.get(global));
                            assertTrue(where + ": doc " + global + " does not match", subQuery instanceof MatchAllDocsQuery || written.tagged.get(global));
                            float[] vector = written.vectors.get(global);
                            float perDocument = vector == null ? 0f : scorer.toScore(prepared.raw(vector)) * boost;
                            // the same kernel on the same floats, which VectorMath rounds alike compiled or not
                            assertEquals(where + ": doc " + global, Float.floatToRawIntBits(perDocument), Float.floatToRawIntBits(hit[1]));
                            double reference = vector == null ? 0
                                : boost * (similarity == VectorSimilarity.COSINE ? ReferenceScores.cosine(target, vector) : ReferenceScores.dot(target, vector));
                            assertEquals(where + ": doc " + global, reference, hit[1], 1e-5 * Math.max(1, Math.abs(reference)));
                        }
                        collected += hits.size();
                    }
                    int expected = 0;
                    for (int doc = 0; doc < docs; doc++) {
                        if (written.deleted.get(doc) == false && (subQuery instanceof MatchAllDocsQuery || written.tagged.get(doc))) {
                            expected++;
                        }
                    }
                    assertEquals(where + ": every live match collected once", expected, collected);
                }
            }
        }
    }

    /** A negative score (impossible with the similarities, possible for a kernel bug) is refused as OpenSearch refuses it. */
    public void testANegativeScoreIsRefusedAsOpenSearchRefusesIt() throws IOException {
        int dims = 4;
        try (Directory dir = newDirectory()) {
            boolean indexed = randomBoolean();
            VectorSegments.write(dir, indexed, VectorSimilarity.DOT_PRODUCT, dims, 20, false);
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                LeafReaderContext leaf = reader.leaves().get(0);
                IndexSearcher searcher = newSearcher(reader, false, false, false);
                Weight all = searcher.createWeight(new MatchAllDocsQuery(), ScoreMode.COMPLETE_NO_SCORES, 1f);
                EmbeddingFieldType field = new EmbeddingFieldType("emb", dims, VectorSimilarity.DOT_PRODUCT, indexed, HnswParameters.DEFAULT, Map.of());
                PairScorer negative = new PairScorer() {
                    @Override
                    public VectorSimilarity.Prepared prepare(float[] user) {
                        return item -> -1f;
                    }

                    @Override
                    public float toScore(float raw) {
                        return raw;
                    }

                    @Override
                    public int userDims(EmbeddingFieldType f) {
                        return dims;
                    }

                    @Override
                    public String userDimsReason(EmbeddingFieldType f) {
                        return "test";
                    }
                };
                BulkScorer bulk = new ScriptBulkScorer(
                    all.bulkScorer(leaf), field.values(leaf.reader()), negative, negative.prepare(null)::raw, dims, 1f
                );
                IllegalArgumentException e = expectThrows(
                    IllegalArgumentException.class,
                    () -> collectInRandomWindows(bulk, leaf.reader().getLiveDocs(), leaf.reader().maxDoc())
                );
                // document 0 is deleted (VectorSegments deletes from the first), so document 1 is the first scored
                assertEquals("script_score script returned an invalid score [-1.0] for doc [1]. Must be a non-negative score!", e.getMessage());
            }
        }
    }

    /** Drives {@code bulk} over {@code [0, maxDoc)} in random windows; @return (doc, score) of each collected document */
    private static List<float[]> collectInRandomWindows(BulkScorer bulk, Bits live, int maxDoc) throws IOException {
        List<float[]> hits = new ArrayList<>();
        LeafCollector collector = new LeafCollector() {
            Scorable scorable;

            @Override
            public void setScorer(Scorable scorer) {
                this.scorable = scorer;
            }

            @Override
            public void collect(int doc) throws IOException {
                hits.add(new float[] { doc, scorable.score() });
            }
        };
        int min = 0;
        while (min < maxDoc) {
            int max = randomBoolean() ? DocIdSetIterator.NO_MORE_DOCS : Math.min(maxDoc, min + between(1, 150));
            int next = bulk.score(collector, live, min, max);
            assertTrue("the window ends where asked", next >= max);
            min = next;
        }
        return hits;
    }
}
