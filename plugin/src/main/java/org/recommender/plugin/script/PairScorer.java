package org.recommender.plugin.script;

import org.recommender.core.model.ScoringModel;
import org.recommender.core.vector.VectorSimilarity;
import org.recommender.plugin.mapper.EmbeddingFieldType;

/** What a {@code script_score} source scores with: a similarity or a stored model; all math is in the core. */
interface PairScorer {
    /** Fixes the user (query) side once per shard; the result scores one item at a time. */
    VectorSimilarity.Prepared prepare(float[] user);

    /** @return {@code raw} mapped to a non-negative score with the same order */
    float toScore(float raw);

    /** @return the user vector dimension required over {@code field} */
    int userDims(EmbeddingFieldType field);

    /** @return what requires that dimension, for error messages, e.g. {@code field [emb] has 64} */
    String userDimsReason(EmbeddingFieldType field);

    /** A plain similarity over the field. */
    static PairScorer of(VectorSimilarity similarity) {
        return new PairScorer() {
            @Override
            public VectorSimilarity.Prepared prepare(float[] user) {
                return similarity.prepare(user);
            }

            @Override
            public float toScore(float raw) {
                return similarity.toScore(raw);
            }

            @Override
            public int userDims(EmbeddingFieldType field) {
                return field.dims();
            }

            @Override
            public String userDimsReason(EmbeddingFieldType field) {
                return "field [" + field.name() + "] has " + field.dims();
            }
        };
    }

    /** A stored model, per document on the Java kernel; raw model scores use the {@code dot} transform. */
    static PairScorer of(String modelId, ScoringModel model) {
        return new PairScorer() {
            @Override
            public VectorSimilarity.Prepared prepare(float[] user) {
                return item -> model.score(user, item);
            }

            @Override
            public float toScore(float raw) {
                return VectorSimilarity.DOT_PRODUCT.toScore(raw);
            }

            @Override
            public int userDims(EmbeddingFieldType field) {
                return model.userDims();
            }

            @Override
            public String userDimsReason(EmbeddingFieldType field) {
                return "model [" + modelId + "] expects " + model.userDims();
            }
        };
    }
}
