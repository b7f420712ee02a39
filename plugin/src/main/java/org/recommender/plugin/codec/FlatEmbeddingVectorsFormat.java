package org.recommender.plugin.codec;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.recommender.core.vector.EmbeddingValidator;

import java.io.IOException;
import java.util.Map;

/**
 * Lucene float vectors without a graph ({@code "graph": false}): Lucene's flat vector file alone, the file every
 * exact surface reads ({@code mapper/KnnEmbeddingValues}), indexed at the rate of binary doc values instead of an HNSW
 * build's (1,000,000 × 64 in 42–46 s against 379 s with the graph on two cores, docs/benchmarks.md) and with up to
 * {@value EmbeddingValidator#MAX_DIMENSIONS} dimensions, where Lucene's graph stops at 1,024.
 *
 * <p>Lucene's flat reader answers a nearest-neighbour search with nothing (it has no graph to search). This format's
 * reader searches exhaustively instead, every live vector scored by Lucene's flat scorer, so any Lucene vector query
 * on such a field finds the true top k; the plugin's own queries send such fields to their exact scan before it comes
 * to that. Registered by name ({@code META-INF/services}) so that segments read back wherever the plugin is
 * installed.
 */
public final class FlatEmbeddingVectorsFormat extends KnnVectorsFormat {
    /** The format's name in segments. */
    public static final String NAME = "RecommenderFlat99";

    private final Lucene99FlatVectorsFormat flat = new Lucene99FlatVectorsFormat(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());

    /** Also how Lucene creates it by name to read a segment. */
    public FlatEmbeddingVectorsFormat() {
        super(NAME);
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return flat.fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return new ExhaustiveReader(flat.fieldsReader(state));
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return EmbeddingValidator.MAX_DIMENSIONS;
    }

    @Override
    public String toString() {
        return NAME + "(" + flat + ")";
    }

    /** The flat reader, with searches that score every accepted vector. */
    static final class ExhaustiveReader extends KnnVectorsReader {
        private final FlatVectorsReader flat;

        ExhaustiveReader(FlatVectorsReader flat) {
            this.flat = flat;
        }

        @Override
        public void checkIntegrity() throws IOException {
            flat.checkIntegrity();
        }

        @Override
        public FloatVectorValues getFloatVectorValues(String field) throws IOException {
            return flat.getFloatVectorValues(field);
        }

        @Override
        public ByteVectorValues getByteVectorValues(String field) throws IOException {
            return flat.getByteVectorValues(field);
        }

        @Override
        public void search(String field, float[] target, KnnCollector collector, AcceptDocs acceptDocs) throws IOException {
            scoreEvery(flat.getRandomVectorScorer(field, target), collector, acceptDocs);
        }

        @Override
        public void search(String field, byte[] target, KnnCollector collector, AcceptDocs acceptDocs) throws IOException {
            scoreEvery(flat.getRandomVectorScorer(field, target), collector, acceptDocs);
        }

        /**
         * Offers every accepted vector to the collector, counting each as visited, and stops when the collector says so
         * (its visit limit reached: the caller then searches exactly by its own means).
         */
        private static void scoreEvery(RandomVectorScorer scorer, KnnCollector collector, AcceptDocs acceptDocs) throws IOException {
            if (scorer == null) {
                return;
            }
            Bits accepted = scorer.getAcceptOrds(acceptDocs == null ? null : acceptDocs.bits());
            for (int ord = 0, n = scorer.maxOrd(); ord < n && collector.earlyTerminated() == false; ord++) {
                if (accepted == null || accepted.get(ord)) {
                    collector.incVisitedCount(1);
                    collector.collect(scorer.ordToDoc(ord), scorer.score(ord));
                }
            }
        }

        @Override
        public KnnVectorsReader getMergeInstance() throws IOException {
            return new ExhaustiveReader(flat.getMergeInstance());
        }

        @Override
        public void finishMerge() throws IOException {
            flat.finishMerge();
        }

        @Override
        public Map<String, Long> getOffHeapByteSize(FieldInfo fieldInfo) {
            return flat.getOffHeapByteSize(fieldInfo);
        }

        @Override
        public void close() throws IOException {
            flat.close();
        }
    }
}
