package org.recommender.plugin.script;

import org.recommender.core.model.ScoringModel;
import org.recommender.core.vector.VectorSimilarity;

/** One user × one item score for {@code script_score}: a raw value and its non-negative, order-preserving form. */
interface PairScorer {
    /** @return the raw score (may be negative) */
    float raw(float[] user, float[] item);

    /** @return {@code raw} mapped to a non-negative score with the same order */
    float toScore(float raw);

    /** @return the vector dimension the user (query) vector must have, given the field's dimension */
    int userDims(int fieldDims);

    /** A plain similarity over the field. */
    static PairScorer of(VectorSimilarity similarity) {
        return new PairScorer() {
            @Override
            public float raw(float[] user, float[] item) {
                return similarity.raw(user, item);
            }

            @Override
            public float toScore(float raw) {
                return similarity.toScore(raw);
            }

            @Override
            public int userDims(int fieldDims) {
                return fieldDims;
            }
        };
    }

    /** A stored model, per document on the Java kernel; raw model scores use the {@code dot} transform. */
    static PairScorer of(ScoringModel model) {
        return new PairScorer() {
            @Override
            public float raw(float[] user, float[] item) {
                return model.score(user, item);
            }

            @Override
            public float toScore(float raw) {
                return VectorSimilarity.DOT_PRODUCT.toScore(raw);
            }

            @Override
            public int userDims(int fieldDims) {
                return model.userDims();
            }
        };
    }
}
