package org.recommender.plugin.query;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.search.rescore.RescoreContext;
import org.opensearch.search.rescore.Rescorer;
import org.recommender.core.model.ScoringModel;
import org.recommender.core.vector.BestScore;
import org.recommender.plugin.compute.ScoringBudget;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.EmbeddingValues;
import org.recommender.plugin.stats.RecommenderStats;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Re-ranks a shard's window: reads the window's item vectors in document order, scores them all in one batched
 * call, combines each with its query score, and sorts the window. Documents beyond the window keep their order
 * and scores, below the window, as with the query rescorer. Documents without a vector keep their weighted query
 * score.
 */
final class RecommenderRescorer implements Rescorer {
    /**
     * Per search thread: the window's item vectors, reused across requests while they take at most
     * {@link #REUSED_BYTES}. A larger window (up to {@code index.max_rescore_window}, 10,000 by default, × up to 4,096
     * dimensions: 160 MB) gets rows of its own, reserved on the request breaker and dropped with the request, so no
     * thread keeps more than that after a request.
     */
    private static final ThreadLocal<float[][]> ROWS = ThreadLocal.withInitial(() -> new float[0][]);

    /** The most a search thread keeps between requests: 1 MiB, a window of 4,096 vectors of 64 dimensions. */
    static final long REUSED_BYTES = 1 << 20;

    private final RecommenderStats stats;

    RecommenderRescorer(RecommenderStats stats) {
        this.stats = stats;
    }

    /** Everything one shard's rescore needs, resolved before the query phase. */
    static final class Context extends RescoreContext {
        final EmbeddingFieldType field;
        /** the user vector, or {@code null} for a best-score example user */
        final float[] user;
        /** a best-score example user's scorer (then {@link #user} is {@code null}), else {@code null} */
        final BestScore.Scorer examples;
        final ScoringModel scorer;
        final String label;
        final float queryWeight;
        final float modelWeight;
        final ScoreMode mode;
        /** the node's {@code request} breaker, for a window's vectors too large to reuse a thread's */
        final CircuitBreaker breaker;
        /** the node's limit on the arithmetic of one shard search, which each explained hit is charged to */
        final ScoringBudget budget;
        /** what identifies the shard search to {@link #budget} (the windows were charged to it) */
        final Object search;
        /** the multiply-adds of scoring one hit (× a best-score user's examples) */
        final long hitWork;
        /** how a refusal names the scorer, e.g. {@code model [m] (264 multiply-adds an item)} */
        final String scoredWith;
        /** whether the window charged when the context was built is still unused: a top_hits bucket's is not */
        private final AtomicBoolean firstWindow = new AtomicBoolean(true);

        Context(
            int windowSize,
            Rescorer rescorer,
            EmbeddingFieldType field,
            float[] user,
            BestScore.Scorer examples,
            ScoringModel scorer,
            String label,
            float queryWeight,
            float modelWeight,
            ScoreMode mode,
            CircuitBreaker breaker,
            ScoringBudget budget,
            Object search,
            long hitWork,
            String scoredWith
        ) {
            super(windowSize, rescorer);
            this.field = field;
            this.user = user;
            this.examples = examples;
            this.scorer = scorer;
            this.label = label;
            this.queryWeight = queryWeight;
            this.modelWeight = modelWeight;
            this.mode = mode;
            this.breaker = breaker;
            this.budget = budget;
            this.search = search;
            this.hitWork = hitWork;
            this.scoredWith = scoredWith;
        }
    }

    @Override
    public TopDocs rescore(TopDocs topDocs, IndexSearcher searcher, RescoreContext rescoreContext) throws IOException {
        Context ctx = (Context) rescoreContext;
        if (topDocs == null || topDocs.scoreDocs.length == 0) {
            return topDocs;
        }
        if (ctx.firstWindow.getAndSet(false) == false) {
            // a top_hits aggregation rescores each bucket's hits with this context: every window after the one charged
            // when the context was built is charged too, as the search thread scores it
            ctx.budget.charge(
                ctx.search,
                "[rescore.window_size]",
                ScoringBudget.product(ctx.getWindowSize(), ctx.hitWork),
                String.format(Locale.ROOT, "scoring one more window of %,d documents (a top_hits bucket's) with %s", ctx.getWindowSize(), ctx.scoredWith)
            );
        }
        long start = System.nanoTime();
        int window = Math.min(ctx.getWindowSize(), topDocs.scoreDocs.length);
        int dims = ctx.field.dims();
        long bytes = rowBytes(window, dims);
        if (bytes <= REUSED_BYTES) {
            return rescore(ctx, topDocs, searcher, window, rows(window, dims), start);
        }
        ctx.breaker.addEstimateBytesAndMaybeBreak(bytes, "recommender rescore window vectors");
        try {
            return rescore(ctx, topDocs, searcher, window, new float[window][dims], start);
        } finally {
            ctx.breaker.addWithoutBreaking(-bytes);
        }
    }

    private TopDocs rescore(Context ctx, TopDocs topDocs, IndexSearcher searcher, int window, float[][] vectors, long start)
        throws IOException {
        ScoreDoc[] windowDocs = Arrays.copyOf(topDocs.scoreDocs, window);
        Arrays.sort(windowDocs, Comparator.comparingInt(d -> d.doc)); // forward-only vector iterators
        int[] withVector = new int[window];
        int count = 0;
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int leafIndex = -1;
        EmbeddingValues values = null;
        LeafReaderContext leaf = null;
        for (int i = 0; i < window; i++) {
            int doc = windowDocs[i].doc;
            int newLeaf = ReaderUtil.subIndex(doc, leaves);
            if (newLeaf != leafIndex) {
                leafIndex = newLeaf;
                leaf = leaves.get(leafIndex);
                values = ctx.field.values(leaf.reader());
            }
            if (values.advanceExact(doc - leaf.docBase)) {
                System.arraycopy(values.vector(), 0, vectors[count], 0, vectors[count].length); // readers reuse their array
                withVector[count++] = i;
            }
        }
        float[] modelScores = new float[count];
        if (ctx.examples != null) {
            ctx.examples.score(vectors, count, modelScores); // one batched call per example
        } else {
            ctx.scorer.score(ctx.user, vectors, count, modelScores);
        }
        boolean[] scored = new boolean[window];
        for (int k = 0; k < count; k++) {
            ScoreDoc d = windowDocs[withVector[k]];
            d.score = ctx.mode.combine(ctx.queryWeight, d.score, ctx.modelWeight, modelScores[k]);
            scored[withVector[k]] = true;
        }
        for (int i = 0; i < window; i++) {
            if (scored[i] == false) {
                windowDocs[i].score = ScoreMode.weighted(ctx.queryWeight, windowDocs[i].score);
            }
        }
        Arrays.sort(windowDocs, (a, b) -> {
            int byScore = Float.compare(b.score, a.score);
            return byScore != 0 ? byScore : Integer.compare(a.doc, b.doc);
        });
        ScoreDoc[] all = new ScoreDoc[topDocs.scoreDocs.length];
        System.arraycopy(windowDocs, 0, all, 0, window);
        System.arraycopy(topDocs.scoreDocs, window, all, window, topDocs.scoreDocs.length - window);
        stats.rescore(count, ctx.scorer.kernelFor(count), System.nanoTime() - start);
        return new TopDocs(topDocs.totalHits, all);
    }

    /** @return the bytes of {@code window} rows of {@code dims} floats, array headers (16 bytes) and references counted */
    static long rowBytes(int window, int dims) {
        return (long) window * (16 + (long) dims * Float.BYTES + 8) + 16;
    }

    /** @return this thread's reused rows, at least {@code window} of {@code dims}; the caller keeps them within {@link #REUSED_BYTES} */
    private static float[][] rows(int window, int dims) {
        float[][] rows = ROWS.get();
        if (rows.length < window || (rows.length > 0 && rows[0].length != dims)) {
            // grown to what fits the cap, so later smaller windows reuse them
            int keep = rows.length > 0 && rows[0].length == dims ? Math.max(window, rows.length) : window;
            rows = new float[keep][dims];
            ROWS.set(rows);
        }
        return rows;
    }

    @Override
    public Explanation explain(int topLevelDocId, IndexSearcher searcher, RescoreContext rescoreContext, Explanation sourceExplanation)
        throws IOException {
        Context ctx = (Context) rescoreContext;
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(topLevelDocId, leaves));
        EmbeddingValues values = ctx.field.values(leaf.reader());
        Explanation query = Explanation.match(
            ScoreMode.weighted(ctx.queryWeight, sourceExplanation.getValue().floatValue()),
            "query score × query_weight [" + ctx.queryWeight + "]",
            sourceExplanation
        );
        if (values.advanceExact(topLevelDocId - leaf.docBase) == false) {
            return Explanation.match(query.getValue(), "recommender rescore: document has no [" + ctx.field.name() + "], query score kept", query);
        }
        // OpenSearch explains every fetched hit (up to index.max_result_window of them), each scored here on its own:
        // charged to the search's budget with its windows
        ctx.budget.charge(ctx.search, "[explain]", ctx.hitWork, "explaining one more hit's rescore with " + ctx.scoredWith);
        float raw = ctx.examples != null ? ctx.examples.score(values.vector()) : ctx.scorer.score(ctx.user, values.vector());
        Explanation model = Explanation.match(
            ScoreMode.weighted(ctx.modelWeight, raw),
            ctx.label + " score [" + raw + "] × model_weight [" + ctx.modelWeight + "]"
        );
        float combined = ctx.mode.combine(query.getValue().floatValue(), model.getValue().floatValue());
        return Explanation.match(combined, "recommender rescore, score_mode [" + ctx.mode.externalName() + "]", query, model);
    }
}
