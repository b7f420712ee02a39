package org.recommender.plugin.script;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.IndexSearcher;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.script.ScoreScript;
import org.opensearch.search.lookup.SearchLookup;
import org.recommender.core.vector.EmbeddingValidator;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.mapper.EmbeddingFieldType;
import org.recommender.plugin.mapper.EmbeddingFields;
import org.recommender.plugin.mapper.EmbeddingValues;
import org.recommender.plugin.mapper.VectorBlock;
import org.recommender.plugin.stats.RecommenderStats;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Validates {@code params.field} and {@code params.vector} once per shard, then hands out per-segment scripts
 * that score each document's embedding against the query vector.
 */
final class VectorScoreScriptFactory implements ScoreScript.LeafFactory {
    private final String source;
    private final PairScorer scorer;
    private final boolean needsDirection;
    private final Map<String, Object> params;
    private final SearchLookup lookup;
    private final IndexSearcher searcher;
    private final EmbeddingFieldType fieldType;
    private final VectorSimilarity.Prepared query;
    private final VectorBlock.Kernel kernel;
    private final RecommenderStats stats;

    VectorScoreScriptFactory(
        String source,
        PairScorer scorer,
        boolean needsDirection,
        EmbeddingFieldType fieldType,
        Map<String, Object> params,
        SearchLookup lookup,
        IndexSearcher searcher,
        RecommenderStats stats
    ) {
        this.source = source;
        this.scorer = scorer;
        this.needsDirection = needsDirection;
        this.params = params;
        this.lookup = lookup;
        this.searcher = searcher;
        this.fieldType = fieldType;
        this.query = scorer.prepare(readVector(params, fieldType));
        this.kernel = query::raw;
        this.stats = stats;
    }

    /** @return the embedding (or readable knn_vector) field named by {@code params.field} */
    static EmbeddingFieldType resolveField(Map<String, Object> params, SearchLookup lookup) {
        Object field = params.get("field");
        if (field instanceof String == false) {
            throw new IllegalArgumentException(
                "[params.field] is required and must be the name of an embedding field" + (field == null ? "" : ", got [" + field + "]")
            );
        }
        return EmbeddingFields.require(lookup.doc().mapperService(), (String) field, "[params.field]");
    }

    private float[] readVector(Map<String, Object> params, EmbeddingFieldType field) {
        Object raw = params.get("vector");
        if (raw == null && params.containsKey(ScriptSearches.USER)) {
            // ScriptSearches resolves it in the query and rescore queries of a search; other APIs (_explain, …) do not
            throw new IllegalArgumentException(
                "[params.user] is resolved only in the query and rescore queries of a search (_search, _msearch); here pass [params.vector]"
            );
        }
        if (raw instanceof List<?> == false) {
            throw new IllegalArgumentException(
                "[params.vector] is required and must be an array of " + scorer.userDims(field) + " numbers" + (raw == null ? "" : ", got [" + raw + "]")
            );
        }
        List<?> list = (List<?>) raw;
        float[] vector = new float[list.size()];
        for (int i = 0; i < vector.length; i++) {
            if (list.get(i) instanceof Number number) {
                vector[i] = number.floatValue();
            } else {
                throw new IllegalArgumentException("[params.vector] element [" + i + "] must be a number but was [" + list.get(i) + "]");
            }
        }
        String name = "params.vector";
        if (vector.length != scorer.userDims(field)) {
            throw new IllegalArgumentException("[" + name + "] has " + vector.length + " dimensions but " + scorer.userDimsReason(field));
        }
        EmbeddingValidator.checkElements(name, vector);
        if (needsDirection) {
            VectorSimilarity.COSINE.requireComparable(name, vector);
        }
        return vector;
    }

    @Override
    public boolean needs_score() {
        return false;
    }

    /**
     * The bulk form of {@link #newInstance}'s scripts over one segment: the same scores, computed a block of matches
     * at a time ({@link ScriptBulkScorer}). OpenSearch calls it through {@link ScriptLeafFactories} on releases that
     * let a script engine supply a bulk scorer, when the query sets no {@code min_score}.
     *
     * @param ctx the segment
     * @param matches the sub-query's bulk scorer over it
     * @param boost the query's boost
     */
    BulkScorer bulkScorer(LeafReaderContext ctx, BulkScorer matches, float boost) throws IOException {
        stats.scriptBulkSegment();
        return new ScriptBulkScorer(matches, fieldType.values(ctx.reader()), scorer, kernel, fieldType.dims(), boost);
    }

    @Override
    public ScoreScript newInstance(LeafReaderContext ctx) throws IOException {
        EmbeddingValues values = fieldType.values(ctx.reader());
        return new ScoreScript(params, lookup, searcher, ctx) {
            private int doc;

            @Override
            public void setDocument(int docid) {
                super.setDocument(docid);
                this.doc = docid;
            }

            @Override
            public double execute(ExplanationHolder explanation) {
                try {
                    if (values.advanceExact(doc) == false) {
                        if (explanation != null) {
                            explanation.set("document has no [" + fieldType.name() + "]: score 0");
                        }
                        return 0;
                    }
                    float raw = query.raw(values.vector());
                    float score = scorer.toScore(raw);
                    if (explanation != null) {
                        explanation.set(source + "(params.vector, doc[" + fieldType.name() + "]) = " + raw + ", non-negative transform → " + score);
                    }
                    return score;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }
}
